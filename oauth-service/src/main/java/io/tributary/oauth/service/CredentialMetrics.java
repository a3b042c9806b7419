package io.tributary.oauth.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * oauth-service meters: {@code integrations_token_refreshes_total{provider,outcome}},
 * {@code integrations_token_refresh_duration_seconds{provider}} and
 * {@code integrations_credentials{provider,state}}.
 */
@ApplicationScoped
public class CredentialMetrics {

    private final MeterRegistry registry;
    private final Pool pool;
    private final MultiGauge byState;

    public CredentialMetrics(MeterRegistry registry, Pool pool) {
        this.registry = registry;
        this.pool = pool;
        this.byState = MultiGauge.builder("integrations_credentials")
                .description("Stored credentials by provider and state").register(registry);
    }

    /** One refresh call at a provider: {@code refreshed}, {@code invalid_grant}, {@code rejected} or {@code unavailable}. */
    void refreshed(String provider, String outcome, long startedNanos) {
        Counter.builder("integrations_token_refreshes").tags("provider", provider, "outcome", outcome)
                .register(registry).increment();
        Timer.builder("integrations_token_refresh_duration").tags("provider", provider).publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    public Uni<Void> recount() {
        return pool.query("SELECT provider, state, count(*) AS n FROM oauth.credentials GROUP BY provider, state")
                .execute()
                .invoke(rows -> {
                    List<MultiGauge.Row<?>> gauges = new ArrayList<>();
                    for (Row row : rows) {
                        gauges.add(MultiGauge.Row.of(Tags.of("provider", row.getString("provider"),
                                "state", row.getString("state")), row.getLong("n")));
                    }
                    byState.register(gauges, true);
                })
                .replaceWithVoid();
    }
}
