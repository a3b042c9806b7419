package io.tributary.contracts.event;

import io.tributary.contracts.TributaryEvent;

import java.util.List;
import java.util.UUID;

/** A batch of at most {@value #MAX_BATCH_SIZE} transactions that a sync added, changed or removed. */
public record TransactionsSynced(
        int version,
        UUID integrationId,
        String userId,
        IntegrationCategory source,
        String provider,
        UUID syncJobId,
        List<SyncedTransaction> transactions) implements TributaryEvent {

    public static final int VERSION = 1;
    public static final int MAX_BATCH_SIZE = 500;

    public TransactionsSynced {
        transactions = transactions == null ? null : List.copyOf(transactions);
    }

    public TransactionsSynced(UUID integrationId, String userId, IntegrationCategory source, String provider,
            UUID syncJobId, List<SyncedTransaction> transactions) {
        this(VERSION, integrationId, userId, source, provider, syncJobId, transactions);
    }

    @Override
    public String partitionKey() {
        return String.valueOf(integrationId);
    }
}
