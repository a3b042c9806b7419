package io.tributary.webhook.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The intake's inserts into {@code webhook_events}, and reads for operators, on the reactive pool. "Published" means the
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

    /** A verified delivery as the intake stores it. */
    public record NewRow(UUID id, String provider, UUID endpointId, String providerEventId, String eventType,
            String providerAccount, UUID integrationId, String headersJson, byte[] body, Instant receivedAt,
            String verification, UUID outboxId, String hintJson) {
    }

    /** One statement text for any group size, so the client can keep it prepared: the rows go in as arrays. */
    private static final String INSERT_NEW = "INSERT INTO webhook.webhook_events (id, provider, endpoint_id, "
            + "provider_event_id, event_type, provider_account, integration_id, headers, body, received_at, "
            + "verification, outbox_id, hint) "
            + "SELECT d.id, d.provider, d.endpoint_id, d.provider_event_id, d.event_type, d.provider_account, "
            // a provider-wide delivery finds its integration through the account's live endpoint
            + "COALESCE(d.integration_id, (SELECT e.integration_id FROM webhook.webhook_endpoints e "
            + "WHERE e.provider = d.provider AND e.provider_account = d.provider_account AND e.active)), "
            + "CAST(d.headers AS jsonb), d.body, d.received_at, d.verification, d.outbox_id, CAST(d.hint AS jsonb) "
            + "FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[], "
            + "$8::text[], $9::bytea[], $10::timestamptz[], $11::text[], $12::uuid[], $13::text[]) WITH ORDINALITY "
            + "AS d(id, provider, endpoint_id, provider_event_id, event_type, provider_account, integration_id, "
            + "headers, body, received_at, verification, outbox_id, hint, n) ORDER BY d.n "
            + "ON CONFLICT (provider, provider_event_id) DO NOTHING RETURNING id, integration_id";

    /**
     * Inserts the rows with one statement in the caller's transaction, skipping those whose provider
     * event id is already stored (replays; of two in the same group, the first is kept). A row without
     * an integration gets the one of the live endpoint registered for its provider account.
     *
     * @return the inserted rows' ids, each with its integration id (null when none is known)
     */
    public Uni<Map<UUID, UUID>> insertNew(SqlConnection connection, List<NewRow> rows) {
        int size = rows.size();
        UUID[] ids = new UUID[size];
        String[] providers = new String[size];
        UUID[] endpoints = new UUID[size];
        String[] eventIds = new String[size];
        String[] eventTypes = new String[size];
        String[] accounts = new String[size];
        UUID[] integrations = new UUID[size];
        String[] headers = new String[size];
        Buffer[] bodies = new Buffer[size];
        OffsetDateTime[] receivedAt = new OffsetDateTime[size];
        String[] verifications = new String[size];
        UUID[] outboxIds = new UUID[size];
        String[] hints = new String[size];
        for (int i = 0; i < size; i++) {
            NewRow row = rows.get(i);
            ids[i] = row.id();
            providers[i] = row.provider();
            endpoints[i] = row.endpointId();
            eventIds[i] = row.providerEventId();
            eventTypes[i] = row.eventType();
            accounts[i] = row.providerAccount();
            integrations[i] = row.integrationId();
            headers[i] = row.headersJson();
            bodies[i] = Buffer.buffer(row.body());
            receivedAt[i] = row.receivedAt().atOffset(ZoneOffset.UTC);
            verifications[i] = row.verification();
            outboxIds[i] = row.outboxId();
            hints[i] = row.hintJson();
        }
        Tuple tuple = Tuple.tuple().addValue(ids).addValue(providers).addValue(endpoints).addValue(eventIds)
                .addValue(eventTypes).addValue(accounts).addValue(integrations).addValue(headers).addValue(bodies)
                .addValue(receivedAt).addValue(verifications).addValue(outboxIds).addValue(hints);
        return connection.preparedQuery(INSERT_NEW).execute(tuple).map(result -> {
            Map<UUID, UUID> inserted = new HashMap<>();
            for (Row row : result) {
                inserted.put(row.getUUID(0), row.getUUID(1));
            }
            return inserted;
        });
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
