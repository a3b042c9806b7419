package io.tributary.bank.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A bank's or YNAB's refusal in one set of terms: HTTP status, the provider's code and error code
 * (Open Banking's {@code Code} and first {@code ErrorCode}, YNAB's {@code id} and {@code name}), and
 * {@code Retry-After}; never the request.
 */
public class ProviderApiException extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final Duration retryAfter;

    public ProviderApiException(int status, String code, String errorCode, String message, Duration retryAfter) {
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

    /** How a provider's error body names what went wrong. */
    public record ErrorFields(String code, String errorCode, String message) {
    }

    /** The response's JSON body; a non-2xx answer is thrown, its fields read by {@code fields}. */
    static JsonNode bodyOf(HttpResponse<Buffer> response, ObjectMapper mapper,
            java.util.function.Function<JsonNode, ErrorFields> fields) {
        JsonNode json;
        try {
            String text = response.bodyAsString();
            json = text == null || text.isBlank() ? mapper.createObjectNode() : mapper.readTree(text);
        } catch (IOException e) {
            json = mapper.createObjectNode();
        }
        if (response.statusCode() / 100 == 2) {
            return json;
        }
        String retryAfter = response.getHeader("Retry-After");
        Duration wait = retryAfter != null && retryAfter.matches("\\d{1,6}")
                ? Duration.ofSeconds(Long.parseLong(retryAfter)) : null;
        ErrorFields error = fields.apply(json);
        throw new ProviderApiException(response.statusCode(), error.code(), error.errorCode(), error.message(), wait);
    }
}
