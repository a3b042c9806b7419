package io.tributary.kit.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.TributaryEvent;
import io.tributary.kit.config.KitConfig;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Adds events to the service's outbox inside the caller's reactive transaction: the events are
 * published if, and only if, the transaction commits. {@link OutboxRelay} does the publishing.
 */
@ApplicationScoped
public class Outbox {

    /** Rows per INSERT statement: 7 parameters each keeps a statement far below PostgreSQL's 65,535. */
    private static final int ROWS_PER_STATEMENT = 500;

    private final String schema;
    private final String source;

    public Outbox(KitConfig config) {
        this.schema = config.dbSchema();
        this.source = "/tributary/" + config.serviceName();
    }

    /**
     * Writes the event to the outbox in the current transaction.
     *
     * @return the event's id, its CloudEvents {@code ce_id}
     */
    public Uni<UUID> add(TributaryEvent event) {
        return add(event, UUID.randomUUID());
    }

    /**
     * Writes the event to the outbox in the current transaction under a {@code ce_id} the caller
     * chose, so the caller can record it beside its change in the same transaction.
     */
    public Uni<UUID> add(TributaryEvent event, UUID ceId) {
        return addEntries(List.of(new Entry(ceId, event))).map(ids -> ids.get(0));
    }

    /** An event and the {@code ce_id} its caller chose for it. */
    public record Entry(UUID ceId, TributaryEvent event) {
    }

    /** {@link #addAll} under {@code ce_id}s the caller chose. */
    public Uni<List<UUID>> addEntries(List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.createFrom().item(() -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            return entries.stream().map(entry -> row(entry.event(), entry.ceId(), now)).toList();
        }).flatMap(this::write);
    }

    /**
     * {@link #addEntries(List)} on a connection of the reactive SQL client, inside the transaction
     * the caller began on it (e.g. {@code Pool.withTransaction}): for hot paths that write with the
     * SQL client rather than Hibernate. Fails, adding nothing, when an event breaks its schema or the
     * connection has no transaction.
     */
    public Uni<List<UUID>> addEntries(SqlConnection connection, List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        if (connection.transaction() == null) {
            return Uni.createFrom().failure(new IllegalStateException(
                    "Outbox.addEntries must run inside a transaction, or an event could outlive a rollback"));
        }
        return Uni.createFrom().item(() -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            return entries.stream().map(entry -> row(entry.event(), entry.ceId(), now)).toList();
        }).flatMap(rows -> connection.preparedQuery(OutboxSql.insertArrays(schema)).execute(arrays(rows))
                .replaceWith(rows.stream().map(OutboxRow::id).toList()));
    }

    private Tuple arrays(List<OutboxRow> rows) {
        int size = rows.size();
        UUID[] ids = new UUID[size];
        String[] topics = new String[size];
        String[] keys = new String[size];
        String[] types = new String[size];
        OffsetDateTime[] times = new OffsetDateTime[size];
        String[] payloads = new String[size];
        for (int i = 0; i < size; i++) {
            OutboxRow row = rows.get(i);
            ids[i] = row.id();
            topics[i] = row.type().topic();
            keys[i] = row.key();
            types[i] = row.type().cloudEventType();
            times[i] = row.time();
            payloads[i] = row.payload();
        }
        return Tuple.tuple().addValue(ids).addValue(topics).addValue(keys).addValue(types).addValue(source)
                .addValue(times).addValue(payloads);
    }

    /**
     * Writes the events to the outbox in the current transaction, in this order, with one statement
     * per {@value #ROWS_PER_STATEMENT} events. Fails, adding nothing, when an event breaks its schema
     * ({@link io.tributary.contracts.InvalidEventException}) or no transaction is active
     * ({@link IllegalStateException}).
     *
     * @return the events' ids, their CloudEvents {@code ce_id}s, in the same order
     */
    public Uni<List<UUID>> addAll(List<? extends TributaryEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.createFrom().item(() -> rows(events)).flatMap(this::write);
    }

    private Uni<List<UUID>> write(List<OutboxRow> rows) {
        return Panache.currentTransaction().flatMap(transaction -> {
            if (transaction == null) {
                return Uni.createFrom().failure(new IllegalStateException(
                        "Outbox.add must run inside a transaction, or an event could outlive a rollback"));
            }
            return Panache.getSession().flatMap(session -> insertInChunks(session, rows));
        }).replaceWith(rows.stream().map(OutboxRow::id).toList());
    }

    private static List<List<OutboxRow>> chunks(List<OutboxRow> rows) {
        List<List<OutboxRow>> chunks = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            chunks.add(rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)));
        }
        return chunks;
    }

    private Uni<Void> insertInChunks(Mutiny.Session session, List<OutboxRow> rows) {
        return Multi.createFrom().iterable(chunks(rows))
                .onItem().transformToUniAndConcatenate(chunk -> insert(session, chunk))
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Integer> insert(Mutiny.Session session, List<OutboxRow> chunk) {
        var statement = session.createNativeQuery(OutboxSql.insert(schema, chunk.size()));
        for (int i = 0; i < chunk.size(); i++) {
            OutboxRow row = chunk.get(i);
            statement.setParameter("id" + i, row.id().toString())
                    .setParameter("topic" + i, row.type().topic())
                    .setParameter("eventKey" + i, row.key())
                    .setParameter("ceType" + i, row.type().cloudEventType())
                    .setParameter("ceSource" + i, source)
                    .setParameter("ceTime" + i, row.time())
                    .setParameter("payload" + i, row.payload());
        }
        return statement.executeUpdate();
    }

    /** Serializing first validates every event before anything is written. */
    private static List<OutboxRow> rows(List<? extends TributaryEvent> events) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return events.stream().map(event -> row(event, UUID.randomUUID(), now)).toList();
    }

    private static OutboxRow row(TributaryEvent event, UUID id, OffsetDateTime now) {
        return new OutboxRow(id, EventType.of(event), event.partitionKey(), now, EventCodec.toJson(event));
    }

    private record OutboxRow(UUID id, EventType type, String key, OffsetDateTime time, String payload) {
    }
}
