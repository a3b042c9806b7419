package io.tributary.webhook.verification;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Xero: {@code x-xero-signature} keyed with the webhook signing key. A delivery without events is
 * the "intent to receive" check: answered 200 with no body when signed, 401 when not.
 */
@ApplicationScoped
public class XeroSignatureVerifier extends BodyHmacVerifier {

    public XeroSignatureVerifier() {
        super("x-xero-signature");
    }

    @Override
    public EventDescription describe(SignedRequest request, JsonNode payload) {
        JsonNode events = payload.path("events");
        JsonNode first = events.path(0);
        String type = first.isMissingNode() ? "intent-to-receive"
                : WebhookVerifier.text(first, "eventCategory") + "." + WebhookVerifier.text(first, "eventType");
        return new EventDescription(null, type, WebhookVerifier.text(first, "tenantId"),
                !events.isArray() || events.isEmpty());
    }
}
