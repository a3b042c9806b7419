package io.tributary.contracts.event;

import io.tributary.contracts.TributaryEvent;

import java.time.Instant;
import java.util.UUID;

/** integration-service asks the sync service of {@code category} to run a sync job. */
public record SyncRequested(
        int version,
        UUID syncJobId,
        UUID integrationId,
        String userId,
        String provider,
        IntegrationCategory category,
        SyncType syncType,
        SyncTrigger trigger,
        Instant requestedAt) implements TributaryEvent {

    public static final int VERSION = 1;

    public SyncRequested(UUID syncJobId, UUID integrationId, String userId, String provider,
            IntegrationCategory category, SyncType syncType, SyncTrigger trigger, Instant requestedAt) {
        this(VERSION, syncJobId, integrationId, userId, provider, category, syncType, trigger, requestedAt);
    }

    @Override
    public String partitionKey() {
        return String.valueOf(integrationId);
    }
}
