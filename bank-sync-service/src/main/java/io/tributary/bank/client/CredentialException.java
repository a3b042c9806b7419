package io.tributary.bank.client;

/** A credential could not be had from oauth-service; the message never holds a secret. */
public class CredentialException extends RuntimeException {

    public enum Reason {
        /** oauth-service holds none: the integration was never connected. */
        MISSING,
        /** The provider refused it; only the user can fix that. */
        REAUTH_REQUIRED,
        /** oauth-service refused this service's own token: a deployment mistake. */
        REFUSED,
        /** oauth-service or the identity provider did not answer; worth another try. */
        UNAVAILABLE
    }

    private final Reason reason;

    public CredentialException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
