package io.tributary.integration.messaging;

import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.integration.service.SyncStatusService;
import io.tributary.kit.inbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Sync services' reports on the jobs this service asked for. */
@ApplicationScoped
public class SyncStatusConsumer {

    private final Inbox inbox;
    private final SyncStatusService syncStatus;

    public SyncStatusConsumer(Inbox inbox, SyncStatusService syncStatus) {
        this.inbox = inbox;
        this.syncStatus = syncStatus;
    }

    @Incoming("sync-status")
    public Uni<Void> onSyncStatus(ConsumerRecord<String, String> record) {
        return inbox.consume(record, SyncStatus.class, syncStatus::apply);
    }
}
