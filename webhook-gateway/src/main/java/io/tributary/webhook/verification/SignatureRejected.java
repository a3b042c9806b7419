package io.tributary.webhook.verification;

/** A delivery whose signature does not prove it came from the provider, and why; never carries a secret. */
public class SignatureRejected extends RuntimeException {

    public enum Reason { MISSING, MALFORMED, MISMATCH, STALE }

    private final Reason reason;

    public SignatureRejected(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
