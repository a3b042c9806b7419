package io.tributary.webhook.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads of {@code webhook_events} for operators, on the reactive pool. "Published" means the
 * outbox row of its latest publication has been sent (a purged row was sent first).
 */
@ApplicationScoped
public class WebhookEventRepository {

    private static final String SUMMARY = "e.id, e.provider, e.endpoint_id, e.integration_id, e.provider_event_id, "
            + "e.event_type, e.provider_account, e.received_at, e.verification, e.replays, "
            + "(o.id IS NULL OR o.sent_at IS NOT NULL) AS published";
    private static final String FROM = " FROM webhook.webhook_events e "
            + "LEFT JOIN webhook.outbox_events o ON o.id = e.outbox_id ";
    private static final String FILTER = "WHERE ($1::text IS NULL OR e.provider = $1) "
            + "AND ($2::uuid IS NULL OR e.integration_id = $2) AND ($3::text IS NULL OR e.event_type = $3) "
            + "AND ($4::text IS NULL OR e.verification = $4) AND ($5::timestamptz IS NULL OR e.received_at >= $5) "
            + "AND ($6::timestamptz IS NULL OR e.received_at < $6) ";

    private final Pool pool;

    public WebhookEventRepository(Pool pool) {
        this.pool = pool;
    }

    /** What operators search by; every part optional. */
    public record Filter(String provider, UUID integrationId, String eventType, String verification, Instant from,
            Instant to) {
    }

    /** Where a page ends: the next page starts after it. */
    public record Position(Instant receivedAt, UUID id) {
    }

    public record Summary(UUID id, String provider, UUID endpointId, UUID integrationId, String providerEventId,
            String eventType, String providerAccount, Instant receivedAt, String verification, int replays,
            boolean published) {
    }

    public record Detail(Summary summary, Map<String, Object> headers, byte[] body, String hint) {
    }

    /** Newest first, after {@code after} when given. */
    public Uni<List<Summary>> search(Filter filter, Position after, int limit) {
        Tuple parameters = filterTuple(filter)
                .addOffsetDateTime(after == null ? null : after.receivedAt().atOffset(ZoneOffset.UTC))
                .addUUID(after == null ? null : after.id())
                .addInteger(limit);
        return pool.preparedQuery("SELECT " + SUMMARY + FROM + FILTER
                        + "AND ($7::timestamptz IS NULL OR (e.received_at, e.id) < ($7, $8)) "
                        + "ORDER BY e.received_at DESC, e.id DESC LIMIT $9")
                .execute(parameters)
                .map(rows -> {
                    List<Summary> page = new ArrayList<>();
                    rows.forEach(row -> page.add(summary(row)));
                    return page;
                });
    }

    public Uni<Long> count(Filter filter) {
        return pool.preparedQuery("SELECT count(*)" + FROM + FILTER).execute(filterTuple(filter))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Detail> find(UUID id) {
        return pool.preparedQuery("SELECT " + SUMMARY + ", e.headers::text AS headers, e.body, e.hint::text AS hint"
                        + FROM + "WHERE e.id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Detail(summary(row), new JsonObject(row.getString("headers")).getMap(),
                            row.getBuffer("body").getBytes(), row.getString("hint"));
                });
    }

    /**
     * A page of events to publish again, oldest first, after {@code after}: with their
     * integration as mapped now (a mapping added after the delivery counts).
     */
    public Uni<List<Detail>> replayPage(Filter filter, Position after, int limit) {
        Tuple parameters = filterTuple(filter)
                .addOffsetDateTime(after == null ? null : after.receivedAt().atOffset(ZoneOffset.UTC))
                .addUUID(after == null ? null : after.id())
                .addInteger(limit);
        return pool.preparedQuery("SELECT e.id, e.provider, e.endpoint_id, COALESCE(e.integration_id, "
                        + "(SELECT w.integration_id FROM webhook.webhook_endpoints w WHERE w.provider = e.provider "
                        + "AND w.provider_account = e.provider_account AND w.active)) AS integration_id, "
                        + "e.provider_event_id, e.event_type, e.provider_account, e.received_at, e.verification, "
                        + "e.replays, true AS published, e.headers::text AS headers, e.body, e.hint::text AS hint"
                        + " FROM webhook.webhook_events e " + FILTER
                        + "AND ($7::timestamptz IS NULL OR (e.received_at, e.id) > ($7, $8)) "
                        + "ORDER BY e.received_at, e.id LIMIT $9")
                .execute(parameters)
                .map(rows -> {
                    List<Detail> page = new ArrayList<>();
                    rows.forEach(row -> page.add(new Detail(summary(row), Map.of(), row.getBuffer("body").getBytes(),
                            row.getString("hint"))));
                    return page;
                });
    }

    private static Tuple filterTuple(Filter filter) {
        return Tuple.tuple()
                .addString(filter.provider())
                .addUUID(filter.integrationId())
                .addString(filter.eventType())
                .addString(filter.verification())
                .addOffsetDateTime(filter.from() == null ? null : filter.from().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(filter.to() == null ? null : filter.to().atOffset(ZoneOffset.UTC));
    }

    private static Summary summary(Row row) {
        OffsetDateTime received = row.getOffsetDateTime("received_at");
        return new Summary(row.getUUID("id"), row.getString("provider"), row.getUUID("endpoint_id"),
                row.getUUID("integration_id"), row.getString("provider_event_id"), row.getString("event_type"),
                row.getString("provider_account"), received.toInstant(), row.getString("verification"),
                row.getInteger("replays"), row.getBoolean("published"));
    }
}
