package io.tributary.webhook.verification;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Checks one signature scheme over the raw body bytes, never over re-serialized JSON. */
public interface WebhookVerifier {

    /**
     * Returns normally when one of {@code secrets} signed this body within {@code tolerance} of
     * {@code now}; throws {@link SignatureRejected} otherwise.
     *
     * @param header case-insensitive header lookup, null when absent
     */
    void verify(Function<String, String> header, byte[] body, List<String> secrets, Duration tolerance, Instant now);

    /** The delivery's id when the scheme carries one in a header (Standard Webhooks' {@code webhook-id}). */
    default String deliveryId(Function<String, String> header) {
        return null;
    }
}
