package io.tributary.contracts.event;

import io.tributary.contracts.TributaryEvent;

import java.time.Instant;
import java.util.UUID;

/**
 * A sync service reports on a sync job: started, progress with the counts so far, or its end.
 * {@code errorCode} and {@code errorMessage} are set when the job failed (or a page was rate
 * limited); the message is meant for people and never holds a secret.
 */
public record SyncStatus(
        int version,
        UUID syncJobId,
        UUID integrationId,
        SyncState state,
        long recordsAdded,
        long recordsUpdated,
        long recordsDeleted,
        long recordsFailed,
        String errorCode,
        String errorMessage,
        Instant startedAt,
        Instant finishedAt) implements TributaryEvent {

    public static final int VERSION = 1;

    public SyncStatus(UUID syncJobId, UUID integrationId, SyncState state, long recordsAdded, long recordsUpdated,
            long recordsDeleted, long recordsFailed, String errorCode, String errorMessage, Instant startedAt,
            Instant finishedAt) {
        this(VERSION, syncJobId, integrationId, state, recordsAdded, recordsUpdated, recordsDeleted, recordsFailed,
                errorCode, errorMessage, startedAt, finishedAt);
    }

    @Override
    public String partitionKey() {
        return String.valueOf(integrationId);
    }
}
