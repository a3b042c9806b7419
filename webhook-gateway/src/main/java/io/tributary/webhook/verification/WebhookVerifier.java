package io.tributary.webhook.verification;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One signature scheme: checks the raw bytes (never re-serialized JSON) and names the event. */
public interface WebhookVerifier {

    /**
     * Returns normally when one of {@code secrets} signed this request within {@code tolerance} of
     * {@code now}; throws {@link SignatureRejected} otherwise.
     */
    void verify(SignedRequest request, List<String> secrets, Duration tolerance, Instant now);

    /** Names the verified event; by default from the payload's {@code id}, {@code type} and {@code account}. */
    default EventDescription describe(SignedRequest request, JsonNode payload) {
        return new EventDescription(text(payload, "id"), text(payload, "type"), text(payload, "account"), false);
    }

    /** A short text field of an object, or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node != null && node.isObject() ? node.get(field) : null;
        if (value == null || !(value.isTextual() || value.isNumber())) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() || text.length() > 255 ? null : text;
    }
}
