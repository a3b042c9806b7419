package io.tributary.integration.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.SyncTrigger;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * integration-service meters: {@code integrations_total{provider,status}},
 * {@code integrations_sync_jobs_started_total{provider,trigger}},
 * {@code integrations_sync_jobs_finished_total{provider,outcome}},
 * {@code integrations_sync_duration_seconds{provider,outcome}} and
 * {@code integrations_scheduler_lag_seconds} (how late a due sync was claimed).
 */
@ApplicationScoped
public class SyncMetrics {

    private final MeterRegistry registry;
    private final Pool pool;
    private final MultiGauge integrationsByStatus;
    private final Timer schedulerLag;

    public SyncMetrics(MeterRegistry registry, Pool pool) {
        this.registry = registry;
        this.pool = pool;
        this.integrationsByStatus = MultiGauge.builder("integrations")
                .description("Active integrations by provider and status")
                .register(registry);
        this.schedulerLag = Timer.builder("integrations_scheduler_lag")
                .description("Time between an integration's next_sync_at and the scheduler claiming it")
                .publishPercentileHistogram()
                .register(registry);
    }

    void jobStarted(String provider, SyncTrigger trigger) {
        Counter.builder("integrations_sync_jobs_started")
                .tags("provider", provider, "trigger", trigger.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    void jobFinished(String provider, boolean completed, Duration took) {
        String outcome = completed ? "completed" : "failed";
        Counter.builder("integrations_sync_jobs_finished")
                .tags("provider", provider, "outcome", outcome)
                .register(registry).increment();
        if (took != null && !took.isNegative()) {
            Timer.builder("integrations_sync_duration")
                    .tags("provider", provider, "outcome", outcome)
                    .publishPercentileHistogram()
                    .register(registry).record(took);
        }
    }

    void scheduledLate(Duration lag) {
        schedulerLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    /** Counted on a timer, not per scrape: a scrape must not cost a query. */
    @Scheduled(every = "${integration.metrics-refresh:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshIntegrationCounts() {
        return pool.query("SELECT provider, status, count(*) AS n FROM integration.integrations "
                        + "WHERE is_active GROUP BY provider, status").execute()
                .invoke(rows -> {
                    List<MultiGauge.Row<?>> gauges = new ArrayList<>();
                    for (Row row : rows) {
                        gauges.add(MultiGauge.Row.of(Tags.of("provider", row.getString("provider"),
                                "status", row.getString("status")), row.getLong("n")));
                    }
                    integrationsByStatus.register(gauges, true);
                })
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
