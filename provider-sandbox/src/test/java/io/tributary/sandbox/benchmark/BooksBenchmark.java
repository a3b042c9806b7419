package io.tributary.sandbox.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.tributary.sandbox.WebhookReceiverTestResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * Prints how fast the sandbox pages a million-record generated book through Xero's
 * BankTransactions (pages of 1,000) and Stripe's balance transactions (pages of 100, by
 * starting_after), and the heap in use before and after: records are computed, never held. Run
 * with {@code ./mvnw -pl provider-sandbox -am verify -Pbenchmark}; it asserts nothing about time.
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(BooksBenchmark.Unthrottled.class)
@WithTestResource(WebhookReceiverTestResource.class)
class BooksBenchmark {

    private static final int RECORDS = Integer.getInteger("benchmark.records", 1_000_000);
    private static final String REDIRECT = "http://localhost:3000/oauth/callback";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Xero's per-tenant minute limit would stop a million-record read at 60 pages. */
    public static class Unthrottled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sandbox.xero.minute-limit", "100000000", "sandbox.xero.day-limit", "100000000",
                    "sandbox.xero.app-minute-limit", "100000000");
        }
    }

    @Test
    void pageAMillionRecordsThroughXeroAndStripe() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = RestAssured.baseURI + ":" + RestAssured.port;

        String xeroCode = code("/xero/identity/connect/authorize", "sandbox-xero-client");
        String xero = given().auth().preemptive().basic("sandbox-xero-client", "sandbox-xero-secret")
                .formParams(Map.of("grant_type", "authorization_code", "code", xeroCode, "redirect_uri", REDIRECT))
                .post("/xero/connect/token").then().statusCode(200).extract().path("access_token");
        String tenant = given().auth().oauth2(xero).get("/xero/connections").then().extract().path("[0].tenantId");
        given().contentType("application/json").body(Map.of("records", RECORDS, "seed", 1))
                .put("/admin/books/xero/" + tenant + "/BankTransactions").then().statusCode(200);
        long heapBefore = usedHeap();
        long started = System.nanoTime();
        long records = 0;
        long bytes = 0;
        int page = 1;
        for (int got = 1000; got == 1000; page++) {
            String body = get(http, base + "/xero/api.xro/2.0/BankTransactions?page=" + page + "&pageSize=1000",
                    "Bearer " + xero, Map.of("xero-tenant-id", tenant));
            bytes += body.length();
            got = JSON.readTree(body).path("BankTransactions").size();
            records += got;
        }
        report("Xero BankTransactions", records, page - 1, started, bytes, heapBefore);

        String stripeCode = code("/stripe/oauth/authorize", "ca_sandbox");
        JsonNode stripe = JSON.readTree(given().formParams(Map.of("grant_type", "authorization_code", "code",
                stripeCode, "client_secret", "sk_test_sandbox")).post("/stripe/oauth/token").then().statusCode(200)
                .extract().asString());
        String account = stripe.path("stripe_user_id").asText();
        given().contentType("application/json").body(Map.of("records", RECORDS, "seed", 1))
                .put("/admin/books/stripe/" + account + "/balance_transactions").then().statusCode(200);
        heapBefore = usedHeap();
        started = System.nanoTime();
        records = 0;
        bytes = 0;
        int pages = 0;
        String after = null;
        boolean more = true;
        while (more) {
            String body = get(http, base + "/stripe/v1/balance_transactions?limit=100"
                    + (after == null ? "" : "&starting_after=" + after), "Bearer " + stripe.path("access_token").asText(),
                    Map.of());
            JsonNode list = JSON.readTree(body);
            bytes += body.length();
            records += list.path("data").size();
            pages++;
            more = list.path("has_more").asBoolean();
            after = list.path("data").get(list.path("data").size() - 1).path("id").asText();
        }
        report("Stripe balance transactions", records, pages, started, bytes, heapBefore);
    }

    private static void report(String what, long records, int pages, long started, long bytes, long heapBefore) {
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%s: %,d records in %,d pages (%,d MiB of JSON) in %.1f s — %,.0f records/s; heap in use "
                + "%d MiB before, %d MiB after%n", what, records, pages, bytes >> 20, seconds, records / seconds,
                heapBefore >> 20, usedHeap() >> 20);
    }

    private static String code(String path, String client) {
        String location = given().redirects().follow(false).queryParams(Map.of("response_type", "code", "client_id",
                client, "redirect_uri", REDIRECT, "state", "s", "auto", "approve")).get(path).header("Location");
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalStateException("no code in " + location);
    }

    private static String get(HttpClient http, String url, String authorization, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization);
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static long usedHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
