package io.tributary.bank.benchmark;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.mapping.SyncEvents;
import io.tributary.bank.repository.BankSyncRepository;
import io.tributary.bank.repository.SyncRunRepository;
import io.tributary.bank.service.PlaidSync;
import io.tributary.kit.outbox.Outbox;
import io.tributary.testsupport.InfrastructureTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Prints how many Plaid transactions per second a full sync writes into PostgreSQL (pages of 500
 * from a stand-in that generates them), alone and with the events the runner writes beside them,
 * and the heap: in use before and after, and the peak during the run. The test JVM also holds
 * Quarkus's test tooling and, unless {@code KAFKA_BOOTSTRAP_SERVERS} names one, the Kafka broker,
 * so the peak is an upper bound for the service. Run with
 * {@code ./mvnw -pl bank-sync-service -am verify -Pbenchmark}; {@code -Dbenchmark.transactions=1000000}
 * for 10× and {@code -Dtests.heap=256m} to hold the JVM to the heap budget. It asserts nothing about time.
 */
@QuarkusTest
@Tag("benchmark")
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(GeneratedPlaidTestResource.class)
class PlaidSyncBenchmark {

    @Inject
    PlaidSync sync;

    @Inject
    Pool pool;

    @Inject
    BankSyncRepository repository;

    @Inject
    Outbox outbox;

    @Test
    void syncTransactionsIntoPostgres() {
        long total = Long.getLong("benchmark.transactions", 100_000);
        // warm-up: the JIT, the pool, the prepared statements
        sync.run(connection(), "access-warm-up").await().atMost(Duration.ofMinutes(10));
        System.out.printf("%nbank-sync-service Plaid sync benchmark (%d cores): %,d transactions in pages of 500%n",
                Runtime.getRuntime().availableProcessors(), total);

        measure("rows only (accounts, transactions, cursor)", (tx, page, counts, last) -> Uni.createFrom().voidItem());
        // what SyncRunner adds to each page: the page's transactions-synced batches in the outbox, relayed to Kafka
        measure("rows + transactions-synced events through the outbox", (tx, page, counts, last) -> {
            SyncRunRepository.ClaimedRun run = new SyncRunRepository.ClaimedRun(UUID.randomUUID(), UUID.randomUUID(),
                    UUID.randomUUID(), "initial", "initial", UUID.randomUUID(), UUID.randomUUID(), "bench", "plaid",
                    null, Instant.now(), false, 0);
            return outbox.addEntries(tx, SyncEvents.batches(run, page).stream()
                    .map(event -> new Outbox.Entry(UUID.randomUUID(), event)).toList()).replaceWithVoid();
        });
    }

    private void measure(String what, PlaidSync.PageListener listener) {
        UUID connection = connection();
        System.gc();
        long heapBefore = usedHeap();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long started = System.nanoTime();
        PlaidSync.Outcome outcome = repository.connection(connection)
                .flatMap(state -> sync.run(state, "access-bench", listener)).await().atMost(Duration.ofMinutes(30));
        double seconds = (System.nanoTime() - started) / 1e9;
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        // what survives collections: the old generation's peak
        long oldPeak = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getName().contains("Old"))
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        System.gc();
        long heapAfter = usedHeap();
        long stored = pool.preparedQuery("SELECT count(*) FROM bank.transactions t JOIN bank.bank_accounts a "
                        + "ON a.id = t.account_id WHERE a.connection_id = $1")
                .execute(Tuple.of(connection)).await().atMost(Duration.ofMinutes(1)).iterator().next().getLong(0);

        System.out.printf("  %s: %,d stored from %,d pages in %.1f s: %,.0f transactions/s%n", what, stored,
                outcome.pages(), seconds, stored / seconds);
        System.out.printf("    heap (max %,d MiB) in use after GC %,.0f MiB before, %,.0f MiB after; peak during the run: "
                + "old generation %,.0f MiB, all pools summed %,.0f MiB (%s)%n",
                Runtime.getRuntime().maxMemory() / 1048576, heapBefore / 1048576.0, heapAfter / 1048576.0,
                oldPeak / 1048576.0, peak / 1048576.0, System.getenv("KAFKA_BOOTSTRAP_SERVERS") == null
                        ? "the Kafka broker in this JVM included" : "Kafka in its own process");
    }

    private UUID connection() {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO bank.bank_connections (id, integration_id, user_id, provider, external_id) "
                        + "VALUES ($1, $2, 'bench', 'plaid', $3)")
                .execute(Tuple.of(id, UUID.randomUUID(), "item-" + id)).await().atMost(Duration.ofSeconds(10));
        return id;
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
