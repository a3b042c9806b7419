package io.tributary.oauth.benchmark;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.tributary.oauth.service.CredentialVault;
import io.tributary.oauth.support.OAuthFixtures;
import io.tributary.oauth.support.ProviderStubsTestResource;
import io.tributary.testsupport.InfrastructureTestResource;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints how many credentials per second {@code GET /internal/credentials/{id}} hands out, and its
 * latency percentiles: signed service token checked, row read, secrets decrypted on every read.
 * Client and service share this machine's cores. Run with
 * {@code ./mvnw -pl oauth-service -am verify -Pbenchmark}; it asserts nothing about time.
 */
@QuarkusTest
@Tag("benchmark")
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(ProviderStubsTestResource.class)
class CredentialReadBenchmark {

    private static final int CREDENTIALS = 500;
    private static final int[] IN_FLIGHT_LEVELS = { 4, 8, 16, 32 };

    @TestHTTPResource("/internal/credentials/")
    URL endpoint;

    @Inject
    Pool pool;

    @Inject
    CredentialVault vault;

    @Test
    void measureCredentialReads() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < CREDENTIALS; i++) {
            UUID id = UUID.randomUUID();
            OAuthFixtures.insertOAuthCredential(pool, vault, id, "bench-user-" + i, "quickbooks",
                    "bench-access-" + id, "bench-refresh-" + id, OffsetDateTime.now().plusDays(1));
            ids.add(id);
        }
        String token = OAuthFixtures.serviceToken("credentials:read");
        Vertx clientVertx = Vertx.vertx();
        WebClient client = WebClient.create(clientVertx, new WebClientOptions().setMaxPoolSize(64)
                .setKeepAlive(true));
        try {
            run(client, ids, token, Duration.ofSeconds(8), "warm-up", 16);
            for (int inFlight : IN_FLIGHT_LEVELS) {
                run(client, ids, token, Duration.ofSeconds(10), "credential reads", inFlight);
            }
        } finally {
            client.close();
            clientVertx.closeAndAwait();
        }
    }

    private void run(WebClient client, List<UUID> ids, String token, Duration length, String label, int inFlight)
            throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + length.toNanos();
        CountDownLatch done = new CountDownLatch(inFlight);
        long start = System.nanoTime();
        for (int worker = 0; worker < inFlight; worker++) {
            next(client, ids, token, worker, end, latencies, errors, done);
        }
        done.await(length.toSeconds() + 30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("BENCHMARK %s: %,d in %.1f s = %,.0f reads/s with %d in flight; latency p50 %.2f ms, "
                        + "p95 %.2f ms, p99 %.2f ms, max %.2f ms; errors %d%n",
                label, sorted.size(), seconds, sorted.size() / seconds, inFlight, percentile(sorted, 0.50),
                percentile(sorted, 0.95), percentile(sorted, 0.99), percentile(sorted, 1.0), errors.get());
    }

    private void next(WebClient client, List<UUID> ids, String token, int worker, long end, List<Long> latencies,
            AtomicLong errors, CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        UUID id = ids.get((int) (Math.random() * ids.size()));
        long sent = System.nanoTime();
        client.getAbs(endpoint + id.toString()).putHeader("Authorization", "Bearer " + token).send()
                .subscribe().with(response -> {
                    if (response.statusCode() == 200) {
                        latencies.add(System.nanoTime() - sent);
                    } else {
                        errors.incrementAndGet();
                    }
                    next(client, ids, token, worker, end, latencies, errors, done);
                }, failure -> {
                    errors.incrementAndGet();
                    next(client, ids, token, worker, end, latencies, errors, done);
                });
    }

    private static double percentile(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
