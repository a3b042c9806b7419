package io.tributary.webhook.verification;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a delivery names its event: the provider's event id (null: the body's hash is used), its
 * type, the provider account it concerns (the Kafka key), whether it is only a ping (Xero's
 * intent-to-receive), which is answered but neither stored nor published, and, for unsigned
 * providers, the hint published instead of the body (null: the body is published).
 */
public record EventDescription(String eventId, String eventType, String account, boolean ping, JsonNode hint) {

    public EventDescription(String eventId, String eventType, String account, boolean ping) {
        this(eventId, eventType, account, ping, null);
    }
}
