package io.tributary.oauth.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A provider refused or failed a request. The message names the provider, the HTTP status and
 * the OAuth error code only: a provider's response body may echo what we sent.
 */
public class ProviderException extends RuntimeException {

    public enum Kind {
        /** The grant (code or refresh token) is dead: the user has to authorize again. */
        INVALID_GRANT,
        /** The provider refused the request for another reason; retrying will not help. */
        REJECTED,
        /** 5xx, 429, timeout or connection failure: worth retrying later. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final Duration retryAfter;

    public ProviderException(Kind kind, String message, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
