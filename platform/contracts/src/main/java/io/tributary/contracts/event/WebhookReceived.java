package io.tributary.contracts.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.contracts.TributaryEvent;

import java.time.Instant;
import java.util.UUID;

/**
 * webhook-gateway accepted a provider webhook whose signature it verified. {@code payload} is the
 * provider's JSON body as received; {@code integrationId} is set when the gateway could map the
 * provider account to an integration.
 */
public record WebhookReceived(
        int version,
        UUID eventId,
        String provider,
        String providerEventId,
        String providerAccountId,
        String eventType,
        UUID integrationId,
        Instant receivedAt,
        JsonNode payload) implements TributaryEvent {

    public static final int VERSION = 1;

    public WebhookReceived(UUID eventId, String provider, String providerEventId, String providerAccountId,
            String eventType, UUID integrationId, Instant receivedAt, JsonNode payload) {
        this(VERSION, eventId, provider, providerEventId, providerAccountId, eventType, integrationId, receivedAt,
                payload);
    }

    /** One provider account's webhooks stay in order: {@code provider:accountId}. */
    @Override
    public String partitionKey() {
        return provider + ":" + (providerAccountId == null ? "" : providerAccountId);
    }
}
