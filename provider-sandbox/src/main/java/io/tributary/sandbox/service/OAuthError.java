package io.tributary.sandbox.service;

/** An RFC 6749 error, answered as {@code {"error", "error_description"}} with its status. */
public class OAuthError extends RuntimeException {

    private final int status;
    private final String error;

    public OAuthError(int status, String error, String description) {
        super(description);
        this.status = status;
        this.error = error;
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError(400, "invalid_grant", description);
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    public static OAuthError invalidClient() {
        return new OAuthError(401, "invalid_client", "Client authentication failed");
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
