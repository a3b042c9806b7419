package io.tributary.webhook.verification;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One signature scheme: checks the raw bytes (never re-serialized JSON) and names the event. */
public interface WebhookVerifier {

    /**
     * Completes when this request is proven to come from the provider (signed with one of
     * {@code secrets}, within {@code tolerance} of {@code now}); fails with {@link SignatureRejected}
     * otherwise. Schemes that need no I/O implement {@link Synchronous}.
     */
    Uni<Void> verify(SignedRequest request, List<String> secrets, Duration tolerance, Instant now);

    /** A scheme checked from the request alone (HMACs). */
    interface Synchronous extends WebhookVerifier {

        /** Returns normally when the request verifies; throws {@link SignatureRejected} otherwise. */
        void check(SignedRequest request, List<String> secrets, Duration tolerance, Instant now);

        @Override
        default Uni<Void> verify(SignedRequest request, List<String> secrets, Duration tolerance, Instant now) {
            try {
                check(request, secrets, tolerance, now);
                return Uni.createFrom().voidItem();
            } catch (SignatureRejected rejected) {
                return Uni.createFrom().failure(rejected);
            }
        }
    }

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
        // PostgreSQL text cannot hold NUL: such an id is no id
        return text.isBlank() || text.length() > 255 || text.indexOf('\u0000') >= 0 ? null : text;
    }
}
