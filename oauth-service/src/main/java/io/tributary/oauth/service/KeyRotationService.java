package io.tributary.oauth.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tributary.oauth.Credential;
import io.tributary.oauth.config.OAuthConfig;
import io.tributary.oauth.repository.CredentialRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves credentials onto the primary key after a rotation, in batches, across replicas without
 * double work. Meters {@code integrations_vault_ciphertexts{key_id}} (rows per key: a key is
 * retired only when it reaches zero) and {@code integrations_vault_reencryption_pending}.
 */
@ApplicationScoped
public class KeyRotationService {

    private final CredentialRepository credentials;
    private final CredentialVault vault;
    private final Pool pool;
    private final int batchSize;
    private final MultiGauge byKey;
    private final AtomicLong pending = new AtomicLong();

    public KeyRotationService(CredentialRepository credentials, CredentialVault vault, Pool pool, OAuthConfig config,
            MeterRegistry registry) {
        this.credentials = credentials;
        this.vault = vault;
        this.pool = pool;
        this.batchSize = config.vault().reencryptBatchSize();
        this.byKey = MultiGauge.builder("integrations_vault_ciphertexts")
                .description("Credentials by the key that encrypted them").register(registry);
        Gauge.builder("integrations_vault_reencryption_pending", pending, AtomicLong::get)
                .description("Credentials not yet under the primary key").register(registry);
    }

    @Scheduled(every = "${oauth.vault.reencrypt-every:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return reencryptBatch()
                .chain(this::refreshMeters)
                .onFailure().invoke(e -> Log.warnf("Re-encryption round failed: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Re-encrypts one batch under the primary key; answers how many rows moved. */
    @WithTransaction
    public Uni<Integer> reencryptBatch() {
        long primary = vault.primaryKeyId();
        return credentials.claimUnderOtherKeys(primary, batchSize).map(batch -> {
            batch.forEach(this::reencrypt);
            return batch.size();
        });
    }

    private void reencrypt(Credential credential) {
        credential.accessToken = again(credential.accessToken, credential, CredentialVault.Field.ACCESS_TOKEN);
        credential.refreshToken = again(credential.refreshToken, credential, CredentialVault.Field.REFRESH_TOKEN);
        credential.apiSecret = again(credential.apiSecret, credential, CredentialVault.Field.API_SECRET);
        credential.keyId = vault.primaryKeyId();
    }

    private byte[] again(byte[] ciphertext, Credential credential, CredentialVault.Field field) {
        return ciphertext == null ? null
                : vault.encrypt(vault.decrypt(ciphertext, credential.integrationId, field), credential.integrationId, field);
    }

    /** Recounts the ciphertexts per key for the meters. */
    public Uni<Void> refreshMeters() {
        return pool.query("SELECT key_id, count(*) AS n FROM oauth.credentials GROUP BY key_id").execute()
                .invoke(rows -> {
                    List<MultiGauge.Row<?>> gauges = new ArrayList<>();
                    long notPrimary = 0;
                    for (Row row : rows) {
                        long keyId = row.getLong("key_id");
                        long count = row.getLong("n");
                        gauges.add(MultiGauge.Row.of(Tags.of("key_id", Long.toString(keyId)), count));
                        notPrimary += keyId == vault.primaryKeyId() ? 0 : count;
                    }
                    byKey.register(gauges, true);
                    pending.set(notPrimary);
                })
                .replaceWithVoid();
    }
}
