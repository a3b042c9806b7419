package io.tributary.contracts.event;

import io.tributary.contracts.TributaryEvent;

import java.time.Instant;
import java.util.UUID;

/** oauth-service tells what happened to an integration's credential. Never carries the secret. */
public record CredentialEvent(
        int version,
        UUID integrationId,
        CredentialEventType type,
        Instant expiresAt,
        Instant occurredAt) implements TributaryEvent {

    public static final int VERSION = 1;

    public CredentialEvent(UUID integrationId, CredentialEventType type, Instant expiresAt, Instant occurredAt) {
        this(VERSION, integrationId, type, expiresAt, occurredAt);
    }

    @Override
    public String partitionKey() {
        return String.valueOf(integrationId);
    }
}
