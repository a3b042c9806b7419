package io.tributary.oauth.service;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.HashSet;
import java.util.Set;

/**
 * Not ready while credentials are encrypted under a key the configured keyset lacks: a key was
 * retired before re-encryption finished, and those credentials cannot be read.
 */
@Readiness
@ApplicationScoped
public class VaultKeysHealthCheck implements AsyncHealthCheck {

    private final Pool pool;
    private final CredentialVault vault;

    public VaultKeysHealthCheck(Pool pool, CredentialVault vault) {
        this.pool = pool;
        this.vault = vault;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("SELECT DISTINCT key_id FROM oauth.credentials").execute().map(rows -> {
            Set<Long> missing = new HashSet<>();
            for (Row row : rows) {
                if (!vault.keyIds().contains(row.getLong(0))) {
                    missing.add(row.getLong(0));
                }
            }
            return HealthCheckResponse.named("vault keys")
                    .status(missing.isEmpty())
                    .withData("primaryKeyId", vault.primaryKeyId())
                    .withData("missingKeyIds", missing.toString())
                    .build();
        });
    }
}
