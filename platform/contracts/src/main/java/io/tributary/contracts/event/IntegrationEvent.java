package io.tributary.contracts.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.contracts.TributaryEvent;

import java.time.Instant;
import java.util.UUID;

/** An integration was created, updated or deleted. {@code config} is its non-secret configuration. */
public record IntegrationEvent(
        int version,
        UUID integrationId,
        String userId,
        String provider,
        IntegrationCategory category,
        IntegrationEventType type,
        JsonNode config,
        Instant occurredAt) implements TributaryEvent {

    public static final int VERSION = 1;

    public IntegrationEvent(UUID integrationId, String userId, String provider, IntegrationCategory category,
            IntegrationEventType type, JsonNode config, Instant occurredAt) {
        this(VERSION, integrationId, userId, provider, category, type, config, occurredAt);
    }

    @Override
    public String partitionKey() {
        return String.valueOf(integrationId);
    }
}
