package io.tributary.bank.messaging;

import io.smallrye.mutiny.Uni;
import io.tributary.bank.service.SyncRequests;
import io.tributary.bank.service.SyncRunner;
import io.tributary.contracts.event.SyncRequested;
import io.tributary.kit.inbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** integration-service's requests for bank and aggregator syncs; each queues a run once. */
@ApplicationScoped
public class SyncRequestedConsumer {

    private final Inbox inbox;
    private final SyncRequests syncRequests;
    private final SyncRunner runner;

    public SyncRequestedConsumer(Inbox inbox, SyncRequests syncRequests, SyncRunner runner) {
        this.inbox = inbox;
        this.syncRequests = syncRequests;
        this.runner = runner;
    }

    @Incoming("sync-requested")
    public Uni<Void> onSyncRequested(ConsumerRecord<String, String> record) {
        // the workers are woken after the inbox transaction committed, or they could miss the run
        return inbox.consume(record, SyncRequested.class, syncRequests::accept).invoke(runner::wake);
    }
}
