package io.tributary.kit.benchmark;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.TributaryEvent;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.SyncRequested;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.kit.fixture.PaymentService;
import io.tributary.testsupport.InfrastructureTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Prints the outbox's throughput with PostgreSQL and Kafka on this machine. Not a test: run it
 * with {@code ./mvnw -pl platform/service-kit -am verify -Pbenchmark}; it asserts nothing about time.
 */
@QuarkusTest
@Tag("benchmark")
@WithTestResource(InfrastructureTestResource.class)
class OutboxThroughputBenchmark {

    private static final int DRAIN_EVENTS = 100_000;
    private static final int WRITTEN_EVENTS = 20_000;
    private static final int EVENTS_PER_TRANSACTION = 50;
    private static final int WRITERS = 4;

    @Inject
    Pool pool;

    @Inject
    PaymentService payments;

    @Inject
    MeterRegistry registry;

    @Test
    void measureOutboxThroughput() throws Throwable {
        drainAndReport("warm-up", 5_000);
        drainAndReport("relay drain (rows committed in one transaction, then published)", DRAIN_EVENTS);
        Timer lag = registry.find("integrations_outbox_publish_lag").timer();
        long countBefore = lag.count();
        double totalBefore = lag.totalTime(TimeUnit.MILLISECONDS);
        writeThroughTheOutboxAndReport();
        System.out.printf("BENCHMARK publish lag while writers run: mean %.1f ms (insert to broker ack)%n",
                (lag.totalTime(TimeUnit.MILLISECONDS) - totalBefore) / (lag.count() - countBefore));
    }

    /** Commits {@code count} rows at once, then times the relay alone until every row is acknowledged. */
    private void drainAndReport(String label, int count) {
        String run = "bench-" + UUID.randomUUID();
        String payload = EventCodec.toJson(event(run, UUID.randomUUID(), 0));
        pool.preparedQuery("INSERT INTO kit_test.outbox_events (id, topic, event_key, ce_type, ce_source, ce_time, payload) "
                        + "SELECT gen_random_uuid(), 'outbox-benchmark', 'key-' || (n % 100), 'io.tributary.sync-requested', "
                        + "'/tributary/benchmark', now(), $1 FROM generate_series(1, $2) AS n")
                .execute(Tuple.of(payload, count)).await().atMost(Duration.ofMinutes(2));
        Instant committed = Instant.now();
        awaitNothingPendingOnBenchmarkTopic();
        report(label, count, Duration.between(committed, Instant.now()));
    }

    /** Writers commit payments with their events through Outbox.add while the relay publishes. */
    private void writeThroughTheOutboxAndReport() throws Exception {
        String run = "bench-" + UUID.randomUUID();
        int transactionsPerWriter = WRITTEN_EVENTS / EVENTS_PER_TRANSACTION / WRITERS;
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        Instant start = Instant.now();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            done.add(writers.submit(() -> {
                for (int t = 0; t < transactionsPerWriter; t++) {
                    List<TributaryEvent> events = new ArrayList<>();
                    UUID integration = UUID.randomUUID();
                    for (int e = 0; e < EVENTS_PER_TRANSACTION; e++) {
                        events.add(event(run, integration, e));
                    }
                    try {
                        VertxContextSupport.subscribeAndAwait(() -> payments.record("bench", events));
                    } catch (Throwable e) {
                        throw new IllegalStateException("A benchmark write failed", e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> writer : done) {
            writer.get(10, TimeUnit.MINUTES);
        }
        Duration writing = Duration.between(start, Instant.now());
        awaitNothingPendingFor(run);
        Duration total = Duration.between(start, Instant.now());
        writers.shutdown();
        report("Outbox.add in transactions of " + EVENTS_PER_TRANSACTION + " from " + WRITERS + " writers, written",
                WRITTEN_EVENTS, writing);
        report("  ... and published to Kafka, end to end", WRITTEN_EVENTS, total);
    }

    private void awaitNothingPendingOnBenchmarkTopic() {
        awaitPending("SELECT count(*) FROM kit_test.outbox_events WHERE sent_at IS NULL AND topic = 'outbox-benchmark'",
                Tuple.tuple());
    }

    private void awaitNothingPendingFor(String run) {
        awaitPending("SELECT count(*) FROM kit_test.outbox_events WHERE sent_at IS NULL AND payload::jsonb->>'userId' = $1",
                Tuple.of(run));
    }

    private void awaitPending(String sql, Tuple parameters) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            long pending = pool.preparedQuery(sql).execute(parameters).await().atMost(Duration.ofSeconds(30))
                    .iterator().next().getLong(0);
            if (pending == 0) {
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("The outbox did not drain within 5 minutes");
    }

    private static void report(String label, int events, Duration took) {
        double seconds = took.toNanos() / 1e9;
        System.out.printf("BENCHMARK %s: %,d events in %.2f s = %,.0f events/s%n", label, events, seconds,
                events / seconds);
    }

    private static SyncRequested event(String run, UUID integration, int sequence) {
        return new SyncRequested(UUID.randomUUID(), integration, run, "plaid", IntegrationCategory.BANK,
                SyncType.INCREMENTAL, SyncTrigger.SCHEDULED, Instant.now().plusMillis(sequence));
    }
}
