package io.tributary.kit.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tributary.kit.config.KitConfig;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Outbox meters: {@code integrations_outbox_pending} (rows not yet acknowledged by Kafka),
 * {@code integrations_outbox_publish_lag_seconds} (insert to broker acknowledgement),
 * {@code integrations_outbox_published_total} and {@code integrations_outbox_publish_failures_total}.
 */
@ApplicationScoped
public class OutboxMetrics {

    private final Pool pool;
    private final String countPendingSql;
    private final AtomicLong pending = new AtomicLong();
    private final Timer lag;
    private final Counter published;
    private final Counter failures;

    public OutboxMetrics(MeterRegistry registry, Pool pool, KitConfig config) {
        this.pool = pool;
        this.countPendingSql = OutboxSql.countPending(config.dbSchema());
        Gauge.builder("integrations_outbox_pending", pending, AtomicLong::get)
                .description("Outbox events not yet acknowledged by Kafka")
                .register(registry);
        this.lag = Timer.builder("integrations_outbox_publish_lag")
                .description("Time from an event's insert into the outbox to the broker's acknowledgement")
                .publishPercentileHistogram()
                .register(registry);
        this.published = Counter.builder("integrations_outbox_published").register(registry);
        this.failures = Counter.builder("integrations_outbox_publish_failures")
                .description("Relay batches that failed and were retried")
                .register(registry);
    }

    void published(List<OffsetDateTime> insertedAt) {
        OffsetDateTime now = OffsetDateTime.now();
        insertedAt.forEach(at -> lag.record(Duration.between(at, now)));
        published.increment(insertedAt.size());
    }

    void publishFailed() {
        failures.increment();
    }

    /** The count is read on a timer, not per scrape: a scrape must not cost a query. */
    @Scheduled(every = "${tributary.outbox.pending-count-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshPendingCount() {
        return pool.query(countPendingSql).execute()
                .invoke(rows -> pending.set(rows.iterator().next().getLong(0)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    public long pendingCount() {
        return pending.get();
    }
}
