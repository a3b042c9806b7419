package io.tributary.webhook.verification;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Standard Webhooks (and Svix): {@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature} = space-separated {@code v1,<base64 HMAC-SHA256>} of
 * {@code <id>.<timestamp>.<raw body>}; the key is the base64 after {@code whsec_}. Timestamps
 * are accepted within the tolerance in both directions.
 */
@ApplicationScoped
public class StandardWebhooksVerifier implements WebhookVerifier.Synchronous {

    private static final String SECRET_PREFIX = "whsec_";

    @Override
    public void check(SignedRequest request, List<String> secrets, Duration tolerance, Instant now) {
        byte[] body = request.body();
        String id = request.header().apply("webhook-id");
        String timestamp = request.header().apply("webhook-timestamp");
        String signatures = request.header().apply("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            throw new SignatureRejected(SignatureRejected.Reason.MISSING,
                    "webhook-id, webhook-timestamp and webhook-signature are required");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new SignatureRejected(SignatureRejected.Reason.MALFORMED, "webhook-timestamp is not a number");
        }
        byte[] prefix = (id + "." + seconds + ".").getBytes(StandardCharsets.UTF_8);
        boolean matched = false;
        for (String secret : secrets) {
            byte[] expected = Hmac.sha256(key(secret), prefix, body);
            for (String candidate : signatures.trim().split(" ")) {
                if (candidate.startsWith("v1,")) {
                    matched |= Hmac.equalInConstantTime(expected, decode(candidate.substring(3)));
                }
            }
        }
        if (!matched) {
            throw new SignatureRejected(SignatureRejected.Reason.MISMATCH, "no v1 signature matches the body");
        }
        Instant signedAt = Instant.ofEpochSecond(seconds);
        if (signedAt.isBefore(now.minus(tolerance)) || signedAt.isAfter(now.plus(tolerance))) {
            throw new SignatureRejected(SignatureRejected.Reason.STALE, "webhook-timestamp outside the tolerance");
        }
    }

    /** The delivery's {@code webhook-id} is the idempotency key the scheme defines. */
    @Override
    public EventDescription describe(SignedRequest request, JsonNode payload) {
        return new EventDescription(request.header().apply("webhook-id"), WebhookVerifier.text(payload, "type"),
                null, false);
    }

    private static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }

    private static byte[] decode(String signature) {
        try {
            return Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
