package io.tributary.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tributary.contracts.event.WebhookReceived;
import io.tributary.kit.outbox.Outbox;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

    /** At most this many transactions in flight; more would only queue at the pool. */
    private static final int WRITERS = 4;
    private static final int MAX_GROUP = 200;

    private final Outbox outbox;
    private final Vertx vertx;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger writing = new AtomicInteger();

    public EventStore(Outbox outbox, Vertx vertx) {
        this.outbox = outbox;
        this.vertx = vertx;
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
            if (current >= WRITERS) {
                return; // a finishing writer picks the queue up
            }
            if (!writing.compareAndSet(current, current + 1)) {
                continue;
            }
            List<Pending> group = new ArrayList<>();
            for (Pending next; group.size() < MAX_GROUP && (next = queue.poll()) != null; ) {
                group.add(next);
            }
            if (group.isEmpty()) {
                writing.decrementAndGet();
                continue;
            }
            writerContext().runOnContext(ignored -> Uni.createFrom().deferred(() -> write(group)).subscribe().with(
                    inserted -> finish(group, inserted, null),
                    failure -> {
                        if (group.size() == 1) {
                            finish(group, null, failure);
                        } else {
                            retryOneByOne(group);
                        }
                    }));
        }
    }

    /** A fresh, isolated sub-context per transaction, as Hibernate Reactive requires. */
    private Context writerContext() {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return context;
    }

    private void retryOneByOne(List<Pending> group) {
        writing.decrementAndGet();
        // each alone, in its own transaction: a failing row fails only itself
        for (Pending pending : group) {
            writing.incrementAndGet();
            writerContext().runOnContext(ignored -> Uni.createFrom().deferred(() -> write(List.of(pending))).subscribe().with(
                    inserted -> finish(List.of(pending), inserted, null),
                    failure -> finish(List.of(pending), null, failure)));
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
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> {
            var insert = session.createNativeQuery(insertSql(group.size()));
            for (int i = 0; i < group.size(); i++) {
                Pending pending = group.get(i);
                NewEvent event = pending.event();
                insert.setParameter("id" + i, pending.id())
                        .setParameter("provider" + i, event.provider())
                        .setParameter("endpoint" + i, event.endpointId() == null ? null : event.endpointId().toString())
                        .setParameter("eventId" + i, event.providerEventId())
                        .setParameter("eventType" + i, event.eventType())
                        .setParameter("account" + i, event.providerAccount())
                        .setParameter("integration" + i, event.integrationId() == null ? null
                                : event.integrationId().toString())
                        .setParameter("headers" + i, event.headersJson())
                        .setParameter("body" + i, event.body())
                        .setParameter("receivedAt" + i, pending.receivedAt())
                        .setParameter("verification" + i, event.verification())
                        .setParameter("outboxId" + i, pending.outboxId())
                        .setParameter("hint" + i, event.hintJson());
            }
            return insert.getResultList();
        }).flatMap(rows -> {
            Map<UUID, UUID> inserted = new HashMap<>();
            for (Object row : rows) {
                Object[] columns = (Object[]) row;
                inserted.put(UUID.fromString(columns[0].toString()),
                        columns[1] == null ? null : UUID.fromString(columns[1].toString()));
            }
            List<Outbox.Entry> entries = new ArrayList<>();
            for (Pending pending : group) {
                if (inserted.containsKey(pending.id())) {
                    NewEvent event = pending.event();
                    entries.add(new Outbox.Entry(pending.outboxId(), new WebhookReceived(pending.id(), event.provider(),
                            event.providerEventId(), event.providerAccount(), event.eventType(),
                            inserted.get(pending.id()), pending.receivedAt(), event.published())));
                }
            }
            return outbox.addEntries(entries).replaceWith(inserted);
        }));
    }

    private static String insertSql(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO {h-schema}webhook_events (id, provider, endpoint_id, "
                + "provider_event_id, event_type, provider_account, integration_id, headers, body, received_at, "
                + "verification, outbox_id, hint) VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append("(:id").append(i).append(", :provider").append(i)
                    .append(", CAST(:endpoint").append(i).append(" AS uuid), :eventId").append(i)
                    .append(", :eventType").append(i).append(", :account").append(i)
                    // a provider-wide delivery finds its integration through the account's live endpoint
                    .append(", COALESCE(CAST(:integration").append(i).append(" AS uuid), (SELECT e.integration_id FROM ")
                    .append("{h-schema}webhook_endpoints e WHERE e.provider = :provider").append(i)
                    .append(" AND e.provider_account = :account").append(i).append(" AND e.active))")
                    .append(", CAST(CAST(:headers").append(i).append(" AS text) AS jsonb), :body").append(i)
                    .append(", :receivedAt").append(i).append(", :verification").append(i)
                    .append(", :outboxId").append(i)
                    .append(", CAST(CAST(:hint").append(i).append(" AS text) AS jsonb))");
        }
        return sql.append(" ON CONFLICT (provider, provider_event_id) DO NOTHING "
                + "RETURNING CAST(id AS text), CAST(integration_id AS text)").toString();
    }
}
