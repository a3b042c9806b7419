package io.tributary.bank.client;

/** A {@code PlaidError} answer (shared/providers.md 2.1): its HTTP status, type and code; never the request. */
public class PlaidApiException extends RuntimeException {

    private final int status;
    private final String errorType;
    private final String errorCode;

    public PlaidApiException(int status, String errorType, String errorCode, String message) {
        super("Plaid answered " + status + " " + errorType + "/" + errorCode + (message == null ? "" : ": " + message));
        this.status = status;
        this.errorType = errorType;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public String errorType() {
        return errorType;
    }

    public String errorCode() {
        return errorCode;
    }

    public boolean mutationDuringPagination() {
        return "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION".equals(errorCode);
    }

    public boolean rateLimited() {
        return status == 429 || "RATE_LIMIT_EXCEEDED".equals(errorType);
    }

    public boolean loginRequired() {
        return "ITEM_LOGIN_REQUIRED".equals(errorCode);
    }

    /** Plaid's or the bank's trouble rather than ours: worth another try later. */
    public boolean passing() {
        return status >= 500 || "API_ERROR".equals(errorType) || "INSTITUTION_ERROR".equals(errorType);
    }

    /** The Item is gone or its consent withdrawn: only a new Link can bring it back. */
    public boolean itemGone() {
        return "ITEM_NOT_FOUND".equals(errorCode) || "USER_PERMISSION_REVOKED".equals(errorCode)
                || "ACCESS_NOT_GRANTED".equals(errorCode) || "INVALID_ACCESS_TOKEN".equals(errorCode);
    }
}
