package io.tributary.webhook.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * {@code webhook_endpoints} on the reactive pool: the allow-list is a {@code cidr[]}, so
 * PostgreSQL both validates the ranges and matches a source address against them.
 */
@ApplicationScoped
public class WebhookEndpointRepository {

    private static final String COLUMNS = "id, provider, integration_id, provider_account, secrets, event_types, "
            + "allowed_sources::text[] AS allowed_sources, active, created_at, updated_at";

    private final Pool pool;

    public WebhookEndpointRepository(Pool pool) {
        this.pool = pool;
    }

    /** A stored endpoint; {@code secrets} still sealed. */
    public record StoredEndpoint(UUID id, String provider, UUID integrationId, String providerAccount, byte[] secrets,
            List<String> eventTypes, List<String> allowedSources, boolean active, Instant createdAt,
            Instant updatedAt) {
    }

    /** The live endpoint behind a URL token, and whether {@code source} may deliver to it. */
    public record Route(StoredEndpoint endpoint, boolean sourceAllowed) {
    }

    public Uni<StoredEndpoint> insert(StoredEndpoint endpoint, byte[] tokenSha256) {
        return pool.preparedQuery("INSERT INTO webhook.webhook_endpoints (id, token_sha256, provider, integration_id, "
                        + "provider_account, secrets, event_types, allowed_sources, active, created_at, updated_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, CAST(CAST($8 AS text[]) AS cidr[]), true, $9, $9) RETURNING " + COLUMNS)
                .execute(insertion(endpoint, tokenSha256))
                .map(rows -> read(rows.iterator().next()));
    }

    private static Tuple insertion(StoredEndpoint endpoint, byte[] tokenSha256) {
        Tuple tuple = Tuple.tuple();
        tuple.addUUID(endpoint.id());
        tuple.addValue(Buffer.buffer(tokenSha256));
        tuple.addString(endpoint.provider());
        tuple.addUUID(endpoint.integrationId());
        tuple.addString(endpoint.providerAccount());
        tuple.addValue(endpoint.secrets() == null ? null : Buffer.buffer(endpoint.secrets()));
        tuple.addArrayOfString(endpoint.eventTypes().toArray(String[]::new));
        tuple.addArrayOfString(endpoint.allowedSources().toArray(String[]::new));
        tuple.addOffsetDateTime(endpoint.createdAt().atOffset(ZoneOffset.UTC));
        return tuple;
    }

    public Uni<Route> route(String provider, byte[] tokenSha256, String source) {
        return pool.preparedQuery("SELECT " + COLUMNS + ", (cardinality(allowed_sources) = 0 "
                        + "OR CAST(CAST($3 AS text) AS inet) <<= ANY (allowed_sources)) AS source_allowed "
                        + "FROM webhook.webhook_endpoints WHERE token_sha256 = $1 AND provider = $2 AND active")
                .execute(Tuple.of(Buffer.buffer(tokenSha256), provider, source))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Route(read(row), Boolean.TRUE.equals(row.getBoolean("source_allowed")));
                });
    }

    public Uni<StoredEndpoint> find(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM webhook.webhook_endpoints WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? read(rows.iterator().next()) : null);
    }

    /** Endpoints, newest first, optionally of one provider and/or integration. */
    public Uni<List<StoredEndpoint>> list(String provider, UUID integrationId, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM webhook.webhook_endpoints "
                        + "WHERE ($1::text IS NULL OR provider = $1) AND ($2::uuid IS NULL OR integration_id = $2) "
                        + "ORDER BY created_at DESC, id LIMIT $3")
                .execute(Tuple.of(provider, integrationId, limit))
                .map(rows -> {
                    List<StoredEndpoint> endpoints = new ArrayList<>();
                    rows.forEach(row -> endpoints.add(read(row)));
                    return endpoints;
                });
    }

    public Uni<StoredEndpoint> replaceSecrets(UUID id, byte[] secrets) {
        return pool.preparedQuery("UPDATE webhook.webhook_endpoints SET secrets = $2, updated_at = now() "
                        + "WHERE id = $1 AND active RETURNING " + COLUMNS)
                .execute(Tuple.of(id, Buffer.buffer(secrets)))
                .map(rows -> rows.iterator().hasNext() ? read(rows.iterator().next()) : null);
    }

    public Uni<StoredEndpoint> deactivate(UUID id) {
        return pool.preparedQuery("UPDATE webhook.webhook_endpoints SET active = false, updated_at = now() "
                        + "WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext() ? read(rows.iterator().next()) : null);
    }

    private static StoredEndpoint read(Row row) {
        var secrets = row.getBuffer("secrets");
        return new StoredEndpoint(row.getUUID("id"), row.getString("provider"), row.getUUID("integration_id"),
                row.getString("provider_account"), secrets == null ? null : secrets.getBytes(),
                Arrays.asList(row.getArrayOfStrings("event_types")), Arrays.asList(row.getArrayOfStrings("allowed_sources")),
                row.getBoolean("active"), row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("updated_at").toInstant());
    }
}
