package io.tributary.webhook.verification;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * HubSpot v3: {@code X-HubSpot-Signature-v3} = base64(HMAC-SHA256(client secret,
 * method + uri + raw body + timestamp)), {@code X-HubSpot-Request-Timestamp} in milliseconds,
 * refused when older than the tolerance.
 */
@ApplicationScoped
public class HubSpotSignatureVerifier implements WebhookVerifier.Synchronous {

    @Override
    public void check(SignedRequest request, List<String> secrets, Duration tolerance, Instant now) {
        byte[] body = request.body();
        String signature = request.header().apply("X-HubSpot-Signature-v3");
        String timestamp = request.header().apply("X-HubSpot-Request-Timestamp");
        String requestLine = request.method() + request.uri();
        if (signature == null || timestamp == null) {
            throw new SignatureRejected(SignatureRejected.Reason.MISSING,
                    "X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are required");
        }
        long millis;
        byte[] expectedSignature;
        try {
            millis = Long.parseLong(timestamp.trim());
            expectedSignature = Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            throw new SignatureRejected(SignatureRejected.Reason.MALFORMED, "unreadable HubSpot signature headers");
        }
        byte[] prefix = requestLine.getBytes(StandardCharsets.UTF_8);
        byte[] suffix = Long.toString(millis).getBytes(StandardCharsets.UTF_8);
        boolean matched = false;
        for (String secret : secrets) {
            matched |= Hmac.equalInConstantTime(
                    Hmac.sha256(secret.getBytes(StandardCharsets.UTF_8), prefix, body, suffix), expectedSignature);
        }
        if (!matched) {
            throw new SignatureRejected(SignatureRejected.Reason.MISMATCH, "X-HubSpot-Signature-v3 does not match");
        }
        if (Instant.ofEpochMilli(millis).isBefore(now.minus(tolerance))) {
            throw new SignatureRejected(SignatureRejected.Reason.STALE, "X-HubSpot-Request-Timestamp is too old");
        }
    }

    /** HubSpot sends an array of events; the first one's ids name the delivery. */
    @Override
    public EventDescription describe(SignedRequest request, JsonNode payload) {
        JsonNode first = payload.isArray() && !payload.isEmpty() ? payload.get(0) : payload;
        return new EventDescription(WebhookVerifier.text(first, "eventId"), WebhookVerifier.text(first, "subscriptionType"),
                WebhookVerifier.text(first, "portalId"), false);
    }
}
