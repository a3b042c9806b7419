package io.tributary.webhook.benchmark;

import com.stripe.net.Webhook;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.tributary.contracts.Topics;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.webhook.ProviderStubsTestResource;
import io.tributary.webhook.WebhookSecretsTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints how many Stripe webhooks per second the gateway verifies, stores and publishes, with
 * wrk's latency percentiles, beside the raw HTTP ceiling of a trivial endpoint of the same
 * service in the same run. Every request is a fresh, correctly signed event (signed beforehand
 * with stripe-java, since wrk's Lua has no HMAC), so each one is verified, inserted and put in the
 * outbox; "published" waits until Kafka holds them all. wrk, the service, PostgreSQL and the Kafka
 * broker share this machine's cores. Run with {@code ./mvnw -pl webhook-gateway -am verify
 * -Pbenchmark} (needs {@code wrk} on the PATH); it asserts nothing about time.
 */
@QuarkusTest
@Tag("benchmark")
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(WebhookSecretsTestResource.class)
@WithTestResource(ProviderStubsTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
class WebhookIntakeBenchmark {

    private static final int ACCOUNTS = 100;
    private static final Duration RUN = Duration.ofSeconds(20);

    @TestHTTPResource("/api/integrations/webhooks/stripe")
    URL intake;

    @TestHTTPResource("/benchmark/baseline")
    URL baseline;

    @ConfigProperty(name = "test.stripe.secrets")
    List<String> secrets;

    /** wrk connection counts to run, e.g. {@code -Dbenchmark.connections=32,48}. */
    @ConfigProperty(name = "benchmark.connections", defaultValue = "16,32,48,64")
    List<Integer> connectionCounts;

    @ConfigProperty(name = "webhook.store.writers")
    int writers;

    @ConfigProperty(name = "webhook.store.max-group")
    int maxGroup;

    @Inject
    Pool pool;

    @Test
    void measureVerifiedStoredAndPublishedWebhooks() throws Exception {
        Path work = Files.createTempDirectory("webhook-benchmark");
        Path script = work.resolve("stripe-webhooks.lua");
        try (InputStream lua = getClass().getResourceAsStream("/benchmark/stripe-webhooks.lua")) {
            Files.copy(lua, script);
        }
        System.out.printf("%nwebhook-gateway benchmark: %d cores, wrk -d%ds, %d writers, groups of at most %d%n",
                Runtime.getRuntime().availableProcessors(), RUN.toSeconds(), writers, maxGroup);
        // warm-up until the JIT has compiled the hot paths: pools, verifier, JSON, SQL, the broker's transactions
        intakeRun(work, script, 2, 32, Duration.ofSeconds(30), 120_000, "warm-up");
        awaitOutboxDrained(Duration.ofMinutes(2));
        wrk("-t2", "-c64", "-d" + RUN.toSeconds() + "s", "--latency", baseline.toString())
                .print("raw HTTP ceiling (GET trivial endpoint, 64 connections)");
        for (int connections : connectionCounts) {
            intakeRun(work, script, 2, connections, RUN, 10_000 * (int) RUN.toSeconds(),
                    "Stripe webhooks, " + connections + " connections");
        }
    }

    private void intakeRun(Path work, Path script, int threads, int connections, Duration length, int events,
            String label) throws Exception {
        Path signed = work.resolve("events-" + UUID.randomUUID() + ".tsv");
        writeSignedEvents(signed, events, secrets.get(0));
        long stored = storedCount();
        int publishedBefore = KafkaTopics.readAll(Topics.WEBHOOK_RECEIVED, Duration.ofMillis(500)).size();
        long started = System.nanoTime();
        WrkResult result = wrk("-t" + threads, "-c" + connections, "-d" + length.toSeconds() + "s", "--latency",
                "-s", script.toString(), intake.toString(), "--", signed.toString(), Integer.toString(threads));
        long storedNow = storedCount() - stored;
        awaitOutboxDrained(Duration.ofMinutes(2));
        double publishSeconds = (System.nanoTime() - started) / 1e9;
        int published = KafkaTopics.readAll(Topics.WEBHOOK_RECEIVED, Duration.ofSeconds(2)).size() - publishedBefore;
        result.print(label);
        System.out.printf("    stored %d (non-2xx %d); published on webhook-received %d; "
                        + "stored+published/s over wrk + outbox drain (%.1f s): %.0f%n",
                storedNow, result.non2xx(), published, publishSeconds, published / publishSeconds);
        Files.deleteIfExists(signed);
    }

    private static void writeSignedEvents(Path file, int count, String secret) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                String body = "{\"id\": \"evt_" + UUID.randomUUID().toString().replace("-", "") + "\", \"object\": \"event\", "
                        + "\"type\": \"payment_intent.succeeded\", \"account\": \"acct_bench" + (i % ACCOUNTS) + "\", "
                        + "\"api_version\": \"2025-09-30.clover\", \"created\": 1763700000, \"livemode\": false, "
                        + "\"data\": {\"object\": {\"id\": \"pi_" + i + "\", \"object\": \"payment_intent\", "
                        + "\"amount\": " + (1000 + i) + ", \"currency\": \"gbp\", \"status\": \"succeeded\"}}}";
                out.write(Webhook.Signature.generateSignatureHeader(body, secret));
                out.write('\t');
                out.write(body);
                out.write('\n');
            }
        }
    }

    private long storedCount() {
        return pool.query("SELECT count(*) FROM webhook.webhook_events").execute().await().atMost(Duration.ofSeconds(30))
                .iterator().next().getLong(0);
    }

    private void awaitOutboxDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long pending = pool.query("SELECT count(*) FROM webhook.outbox_events WHERE sent_at IS NULL").execute()
                    .await().atMost(Duration.ofSeconds(30)).iterator().next().getLong(0);
            if (pending == 0) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("the outbox did not drain within " + timeout);
    }

    private record WrkResult(String output, double requestsPerSecond, String p50, String p99, int non2xx) {

        void print(String label) {
            System.out.printf("  %-52s %8.0f req/s   p50 %-9s p99 %-9s%n", label, requestsPerSecond, p50, p99);
        }
    }

    private static WrkResult wrk(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("wrk"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed (install it: apt-get install wrk):\n" + output);
        }
        return new WrkResult(output, number(output, "Requests/sec:\\s+([0-9.]+)"), text(output, "\\s50%\\s+(\\S+)"),
                text(output, "\\s99%\\s+(\\S+)"), (int) number(output, "Non-2xx or 3xx responses:\\s+(\\d+)"));
    }

    private static double number(String output, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(output);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static String text(String output, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(output);
        return matcher.find() ? matcher.group(1) : "?";
    }
}
