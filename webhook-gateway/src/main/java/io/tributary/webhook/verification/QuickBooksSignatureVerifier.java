package io.tributary.webhook.verification;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * QuickBooks: {@code intuit-signature} keyed with the verifier token. Reads both payloads: the
 * legacy {@code eventNotifications} object and the CloudEvents array.
 */
@ApplicationScoped
public class QuickBooksSignatureVerifier extends BodyHmacVerifier {

    public QuickBooksSignatureVerifier() {
        super("intuit-signature");
    }

    @Override
    public EventDescription describe(SignedRequest request, JsonNode payload) {
        if (payload.isArray() && !payload.isEmpty()) {
            JsonNode first = payload.get(0);
            return new EventDescription(null, WebhookVerifier.text(first, "type"),
                    WebhookVerifier.text(first, "intuitaccountid"), false);
        }
        JsonNode notification = payload.path("eventNotifications").path(0);
        return new EventDescription(null, "eventNotifications", WebhookVerifier.text(notification, "realmId"), false);
    }
}
