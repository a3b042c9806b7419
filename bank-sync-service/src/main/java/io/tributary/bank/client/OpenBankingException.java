package io.tributary.bank.client;

import java.time.Duration;
import java.util.Optional;

/**
 * An ASPSP's {@code OBErrorResponse1} answer (shared/providers.md 2.2): status, code, first ErrorCode;
 * never the request. YNAB's errors are told in the same terms (its {@code name} as the error code).
 */
public class OpenBankingException extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final Duration retryAfter;

    public OpenBankingException(int status, String code, String errorCode, String message, Duration retryAfter) {
        super("The provider answered " + status + " " + code + "/" + errorCode + (message == null ? "" : ": " + message),
                null, false, false);
        this.status = status;
        this.errorCode = errorCode;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public boolean rateLimited() {
        return status == 429;
    }

    /** 401 (token expired or revoked), 403 (consent withdrawn or lacking) or UK.OBIE.Reauthenticate: only the user can fix it. */
    public boolean reauthRequired() {
        return status == 401 || status == 403 || "UK.OBIE.Reauthenticate".equals(errorCode)
                || "UK.OBIE.Resource.InvalidConsentStatus".equals(errorCode);
    }

    public boolean passing() {
        return status >= 500 || status == 0;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
