package io.tributary.sandbox.benchmark;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.sandbox.WebhookReceiverTestResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints how fast the sandbox serves a full {@code /transactions/sync} of an Item with a million
 * transactions (pages of 500) and the heap in use before and after: the data is generated, never
 * held. Run with {@code ./mvnw -pl provider-sandbox -am verify -Pbenchmark}; it asserts nothing about time.
 */
@QuarkusTest
@Tag("benchmark")
@WithTestResource(WebhookReceiverTestResource.class)
class PlaidSyncBenchmark {

    private static final Pattern CURSOR = Pattern.compile("\"next_cursor\":\"([^\"]*)\"");
    private static final Pattern HAS_MORE = Pattern.compile("\"has_more\":(true|false)");
    private static final Pattern ADDED_ID = Pattern.compile("\"transaction_id\":");

    @TestHTTPResource("/")
    URL base;

    @Test
    void syncAMillionTransactions() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String item = post(http, "admin/plaid/items",
                "{\"accounts\": 4, \"transactionsPerAccount\": 250000, \"seed\": 99}");
        String publicToken = field(item, "publicToken");
        String access = field(post(http, "plaid/item/public_token/exchange", credentials()
                + ", \"public_token\": \"" + publicToken + "\"}"), "access_token");
        long heapBefore = usedHeap();
        long started = System.nanoTime();
        long transactions = 0;
        int pages = 0;
        long bytes = 0;
        String cursor = "";
        boolean more = true;
        while (more) {
            String page = post(http, "plaid/transactions/sync", credentials() + ", \"access_token\": \"" + access
                    + "\", \"count\": 500, \"cursor\": \"" + cursor + "\"}");
            bytes += page.length();
            Matcher ids = ADDED_ID.matcher(page);
            while (ids.find()) {
                transactions++;
            }
            Matcher next = CURSOR.matcher(page);
            Matcher hasMore = HAS_MORE.matcher(page);
            if (!next.find() || !hasMore.find()) {
                throw new IllegalStateException("not a sync page: " + page.substring(0, Math.min(300, page.length())));
            }
            cursor = next.group(1);
            more = Boolean.parseBoolean(hasMore.group(1));
            pages++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long heapAfter = usedHeap();
        System.out.printf("%nprovider-sandbox /transactions/sync, 4 accounts x 250,000 (%d cores)%n",
                Runtime.getRuntime().availableProcessors());
        System.out.printf("  %,d transactions in %,d pages (%.0f MiB of JSON) in %.1f s: %,.0f transactions/s, "
                + "%.1f ms/page%n", transactions, pages, bytes / 1048576.0, seconds, transactions / seconds,
                seconds * 1000 / pages);
        System.out.printf("  heap in use after GC: %.0f MiB before, %.0f MiB after%n", heapBefore / 1048576.0,
                heapAfter / 1048576.0);
    }

    private static long usedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String credentials() {
        return "{\"client_id\": \"sandbox-plaid-client\", \"secret\": \"sandbox-plaid-secret\"";
    }

    private String post(HttpClient http, String path, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!value.find()) {
            throw new IllegalStateException(name + " missing in " + json);
        }
        return value.group(1);
    }
}
