package io.tributary.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tributary.contracts.event.WebhookReceived;
import io.tributary.kit.outbox.Outbox;
import io.tributary.webhook.config.WebhookConfig;
import io.tributary.webhook.repository.WebhookEventRepository;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stores verified deliveries and puts their {@code webhook-received} in the outbox, in one
 * transaction per group: deliveries that arrive while earlier groups are being written wait for
 * the next one (group commit), so under load one transaction carries many, and alone a delivery
 * is written at once. Each delivery is answered only after its group committed. A group that
 * fails is retried one delivery at a time, so one bad row fails only its own delivery.
 */
@ApplicationScoped
public class EventStore {

    private final int writers;
    private final int maxGroup;
    private final Outbox outbox;
    private final WebhookEventRepository events;
    private final Pool pool;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger writing = new AtomicInteger();

    public EventStore(WebhookConfig config, Outbox outbox, WebhookEventRepository events, Pool pool) {
        this.writers = config.store().writers();
        this.maxGroup = config.store().maxGroup();
        this.outbox = outbox;
        this.events = events;
        this.pool = pool;
    }

    /** A verified delivery, ready to be stored. */
    public record NewEvent(String provider, UUID endpointId, String providerEventId, String eventType,
            String providerAccount, UUID integrationId, String headersJson, byte[] body, String verification,
            String hintJson, JsonNode published) {
    }

    private record Pending(NewEvent event, UUID id, UUID outboxId, Instant receivedAt, Context caller,
            UniEmitter<? super Boolean> answer) {
    }

    /** Completes with true when stored and queued for publishing, false when the provider's event id was already stored. */
    public Uni<Boolean> store(NewEvent event) {
        return Uni.createFrom().emitter(answer -> {
            queue.add(new Pending(event, UUID.randomUUID(), UUID.randomUUID(), Instant.now(), Vertx.currentContext(),
                    answer));
            writeWhileQueued();
        });
    }

    private void writeWhileQueued() {
        while (!queue.isEmpty()) {
            int current = writing.get();
            if (current >= writers) {
                return; // a finishing writer picks the queue up
            }
            if (!writing.compareAndSet(current, current + 1)) {
                continue;
            }
            List<Pending> group = new ArrayList<>();
            for (Pending next; group.size() < maxGroup && (next = queue.poll()) != null; ) {
                group.add(next);
            }
            if (group.isEmpty()) {
                writing.decrementAndGet();
                continue;
            }
            Uni.createFrom().deferred(() -> write(group)).subscribe().with(
                    inserted -> finish(group, inserted, null),
                    failure -> {
                        if (group.size() == 1) {
                            finish(group, null, failure);
                        } else {
                            retryOneByOne(group);
                        }
                    });
        }
    }

    private void retryOneByOne(List<Pending> group) {
        writing.decrementAndGet();
        // each alone, in its own transaction: a failing row fails only itself
        for (Pending pending : group) {
            writing.incrementAndGet();
            Uni.createFrom().deferred(() -> write(List.of(pending))).subscribe().with(
                    inserted -> finish(List.of(pending), inserted, null),
                    failure -> finish(List.of(pending), null, failure));
        }
    }

    private void finish(List<Pending> group, Map<UUID, UUID> inserted, Throwable failure) {
        writing.decrementAndGet();
        for (Pending pending : group) {
            Runnable answer = failure != null ? () -> pending.answer().fail(failure)
                    : () -> pending.answer().complete(inserted.containsKey(pending.id()));
            // answer on the request's own context
            if (pending.caller() != null) {
                pending.caller().runOnContext(ignored -> answer.run());
            } else {
                answer.run();
            }
        }
        writeWhileQueued();
    }

    /** One transaction: insert the group (replays skipped), then the outbox rows of those inserted. Returns inserted id → integration. */
    private Uni<Map<UUID, UUID>> write(List<Pending> group) {
        List<WebhookEventRepository.NewRow> rows = group.stream().map(pending -> {
            NewEvent event = pending.event();
            return new WebhookEventRepository.NewRow(pending.id(), event.provider(), event.endpointId(),
                    event.providerEventId(), event.eventType(), event.providerAccount(), event.integrationId(),
                    event.headersJson(), event.body(), pending.receivedAt(), event.verification(), pending.outboxId(),
                    event.hintJson());
        }).toList();
        return pool.withTransaction(connection -> events.insertNew(connection, rows).flatMap(inserted -> {
            List<Outbox.Entry> entries = new ArrayList<>();
            for (Pending pending : group) {
                if (inserted.containsKey(pending.id())) {
                    NewEvent event = pending.event();
                    entries.add(new Outbox.Entry(pending.outboxId(), new WebhookReceived(pending.id(), event.provider(),
                            event.providerEventId(), event.providerAccount(), event.eventType(),
                            inserted.get(pending.id()), pending.receivedAt(), event.published())));
                }
            }
            return outbox.addEntries(connection, entries).replaceWith(inserted);
        }));
    }
}
