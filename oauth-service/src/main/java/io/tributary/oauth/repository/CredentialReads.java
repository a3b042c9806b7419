package io.tributary.oauth.repository;

import io.smallrye.mutiny.Uni;
import io.tributary.oauth.Credential;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.PreparedQuery;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The hot read path of {@code GET /internal/credentials}: one prepared statement on the reactive
 * pool, no ORM session. Writes go through {@link CredentialRepository}.
 */
@ApplicationScoped
public class CredentialReads {

    private final PreparedQuery<RowSet<Row>> byIntegration;

    public CredentialReads(Pool pool) {
        this.byIntegration = pool.preparedQuery("SELECT integration_id, provider, kind, state, access_token, "
                + "refresh_token IS NOT NULL AS refreshable, api_secret, token_type, expires_at, account::text AS account "
                + "FROM oauth.credentials WHERE integration_id = $1");
    }

    /** What a caller needs to use a credential, still encrypted. */
    public record StoredCredential(UUID integrationId, String provider, Credential.Kind kind, Credential.State state,
            byte[] accessToken, boolean refreshable, byte[] apiSecret, String tokenType, Instant expiresAt,
            Map<String, Object> account) {
    }

    public Uni<StoredCredential> find(UUID integrationId) {
        return byIntegration.execute(Tuple.of(integrationId)).map(rows -> {
            if (!rows.iterator().hasNext()) {
                return null;
            }
            Row row = rows.iterator().next();
            var expires = row.getOffsetDateTime("expires_at");
            return new StoredCredential(row.getUUID("integration_id"), row.getString("provider"),
                    Credential.Kind.valueOf(row.getString("kind").toUpperCase(Locale.ROOT)),
                    Credential.State.valueOf(row.getString("state").toUpperCase(Locale.ROOT)),
                    bytes(row, "access_token"), row.getBoolean("refreshable"), bytes(row, "api_secret"),
                    row.getString("token_type"), expires == null ? null : expires.toInstant(),
                    new JsonObject(row.getString("account")).getMap());
        });
    }

    private static byte[] bytes(Row row, String column) {
        var buffer = row.getBuffer(column);
        return buffer == null ? null : buffer.getBytes();
    }
}
