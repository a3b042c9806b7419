package io.tributary.sandbox;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tributary.sandbox.PlaidApiTest.item;
import static io.tributary.sandbox.PlaidApiTest.plaid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Faults switched on at run time fail as each provider fails; webhooks are signed as each provider signs. */
@QuarkusTest
@WithTestResource(WebhookReceiverTestResource.class)
class FaultsAndWebhooksTest {

    @WebhookReceiver
    WireMockServer receiver;

    @AfterEach
    void clearFaults() {
        given().delete("/admin/faults").then().statusCode(204);
    }

    @Test
    void plaidRateLimitsOnceThenAnswersAgain() {
        String access = item(Map.of("accounts", 1, "transactionsPerAccount", 5));
        arm("plaid", Map.of("type", "rate_limit"));

        JsonPath limited = plaid("/transactions/sync", Map.of("access_token", access)).then().statusCode(429)
                .extract().jsonPath();
        assertThat(limited.getMap("").keySet()).containsAll(PlaidApiTest.PLAID_ERROR_FIELDS);
        assertThat(limited.getString("error_type")).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(limited.getString("error_code")).isEqualTo("TRANSACTIONS_SYNC_LIMIT");

        plaid("/transactions/sync", Map.of("access_token", access)).then().statusCode(200);
        given().get("/admin/faults").then().statusCode(200).body("plaid", nullValue());
    }

    @Test
    void aMutationDuringPaginationFailsTheSecondPageAndARestartFromTheFirstCursorSucceeds() {
        String access = item(Map.of("accounts", 2, "transactionsPerAccount", 100));
        arm("plaid", Map.of("type", "mutation_during_pagination"));

        String first = plaid("/transactions/sync", Map.of("access_token", access, "count", 50))
                .then().statusCode(200).body("has_more", equalTo(true)).extract().path("next_cursor");
        plaid("/transactions/sync", Map.of("access_token", access, "count", 50, "cursor", first))
                .then().statusCode(400).body("error_type", equalTo("TRANSACTIONS_ERROR"))
                .body("error_code", equalTo("TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"));
        // the run restarts from the cursor it began with (none): all 200 arrive
        int total = 0;
        String cursor = "";
        boolean more = true;
        while (more) {
            JsonPath page = plaid("/transactions/sync", Map.of("access_token", access, "count", 50, "cursor", cursor))
                    .then().statusCode(200).extract().jsonPath();
            total += page.getList("added").size();
            cursor = page.getString("next_cursor");
            more = page.getBoolean("has_more");
        }
        assertThat(total).isEqualTo(200);
    }

    @Test
    void itemLoginRequiredAsAFaultAndAsPlaidsResetLogin() {
        String access = item(Map.of("accounts", 1, "transactionsPerAccount", 5));
        arm("plaid", Map.of("type", "item_login_required", "skip", 1));
        plaid("/accounts/get", Map.of("access_token", access)).then().statusCode(200);
        plaid("/accounts/get", Map.of("access_token", access)).then().statusCode(400)
                .body("error_type", equalTo("ITEM_ERROR")).body("error_code", equalTo("ITEM_LOGIN_REQUIRED"))
                .body("display_message", notNullValue());
        plaid("/accounts/get", Map.of("access_token", access)).then().statusCode(200);

        plaid("/sandbox/item/reset_login", Map.of("access_token", access)).then().statusCode(200);
        plaid("/transactions/sync", Map.of("access_token", access)).then().statusCode(400)
                .body("error_code", equalTo("ITEM_LOGIN_REQUIRED"));
        plaid("/transactions/sync", Map.of("access_token", access)).then().statusCode(400)
                .body("error_code", equalTo("ITEM_LOGIN_REQUIRED"));
    }

    @Test
    void eachProviderFailsInItsOwnShape() {
        arm("xero", Map.of("type", "rate_limit", "retryAfterSeconds", 7));
        given().get("/xero/connections").then().statusCode(429)
                .header("Retry-After", "7").header("X-Rate-Limit-Problem", "minute");

        arm("stripe", Map.of("type", "rate_limit"));
        given().formParams(Map.of("grant_type", "refresh_token", "refresh_token", "x", "client_secret", "y"))
                .post("/stripe/oauth/token").then().statusCode(429)
                .header("Stripe-Should-Retry", "false")
                .body("error.type", equalTo("invalid_request_error")).body("error.code", equalTo("rate_limit"));

        arm("quickbooks", Map.of("type", "expired_token"));
        given().formParams(Map.of("grant_type", "refresh_token", "refresh_token", "x"))
                .post("/quickbooks/oauth2/v1/tokens/bearer").then().statusCode(401)
                .body("Fault.type", equalTo("AUTHENTICATION")).body("Fault.Error[0].code", equalTo("3200"));

        arm("paypal", Map.of("type", "rate_limit", "retryAfterSeconds", 3, "path", "/reporting/transactions"));
        given().get("/paypal/v1/reporting/transactions").then().statusCode(429).header("Retry-After", "3")
                .body("name", equalTo("RATE_LIMIT_REACHED"));

        arm("amocrm", Map.of("type", "rate_limit"));
        given().get("/amocrm/x.amocrm.ru/api/v4/leads").then().statusCode(429).contentType(startsWith("text/html"));

        arm("xero", Map.of("type", "unavailable", "path", "/BankTransactions"));
        given().get("/xero/api.xro/2.0/BankTransactions").then().statusCode(503).body("Status", equalTo(503));

        arm("plaid", Map.of("type", "server_error", "times", 2));
        plaid("/link/token/create", Map.of()).then().statusCode(500).body("error_type", equalTo("API_ERROR"));
        plaid("/link/token/create", Map.of()).then().statusCode(500);
        // the third call reaches Plaid again, which finds the body incomplete
        plaid("/link/token/create", Map.of()).then().statusCode(400).body("error_code", equalTo("MISSING_FIELDS"));

        arm("plaid", Map.of("type", "unavailable"));
        plaid("/link/token/create", Map.of()).then().statusCode(503).body("error_code", equalTo("PLANNED_MAINTENANCE"));

        arm("plaid", Map.of("type", "slow", "delayMillis", 300));
        plaid("/link/token/create", Map.of()).then().statusCode(400).body("error_code", equalTo("MISSING_FIELDS"));

        arm("plaid", Map.of("type", "timeout", "delayMillis", 200, "path", "/accounts/get"));
        plaid("/link/token/create", Map.of()).then().statusCode(400);
        plaid("/accounts/get", Map.of()).then().statusCode(504);
    }

    @Test
    void faultSwitchesRefuseBadInput() {
        given().contentType("application/json").body(Map.of("type", "meteor_strike")).put("/admin/faults/plaid")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("rate_limit"));
        given().contentType("application/json").body(Map.of("type", "rate_limit", "times", 0))
                .put("/admin/faults/plaid").then().statusCode(400);
        given().contentType("application/json").body(Map.of("type", "rate_limit", "times", "many"))
                .put("/admin/faults/plaid").then().statusCode(400);
        given().contentType("application/json").body("[1,2]").put("/admin/faults/plaid").then().statusCode(400);
        given().contentType("application/json").body(Map.of("transactionsPerAccount", -1)).post("/admin/plaid/items")
                .then().statusCode(400);
        given().contentType("application/json").body(Map.of()).post("/admin/plaid/items/nope/churn")
                .then().statusCode(404);
        given().contentType("application/json").body(Map.of("webhook", "not a url")).post("/admin/plaid/items")
                .then().statusCode(400).contentType("application/problem+json");
        plaid("/sandbox/public_token/create", Map.of("institution_id", "ins_1", "initial_products", List.of(),
                "options", Map.of("webhook", "ftp://x y"))).then().statusCode(400)
                .body("error_code", equalTo("INVALID_FIELD"));
        given().get("/admin/faults").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aWebhookReceiverThatCannotBeReachedIsReportedNotAnError() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String publicToken = given().contentType("application/json")
                .body(Map.of("accounts", 1, "transactionsPerAccount", 3, "webhook", "http://localhost:" + closed + "/hook"))
                .post("/admin/plaid/items").then().statusCode(200).extract().path("publicToken");
        String itemId = plaid("/item/public_token/exchange", Map.of("public_token", publicToken))
                .then().statusCode(200).extract().path("item_id");

        given().contentType("application/json").body(Map.of("added", 1)).post("/admin/plaid/items/" + itemId + "/churn")
                .then().statusCode(200).body("added", equalTo(1)).body("webhook.status", equalTo(0));
    }

    @Test
    void stripeWebhooksVerifyWithStripesOwnLibrary() throws Exception {
        given().contentType("application/json").body(Map.of("eventType", "payout.paid", "account", "acct_42"))
                .post("/admin/webhooks/stripe").then().statusCode(200).body("status", equalTo(200));

        LoggedRequest delivery = last("/webhooks/stripe");
        Event event = Webhook.constructEvent(delivery.getBodyAsString(), delivery.getHeader("Stripe-Signature"),
                "whsec_sandbox_stripe");
        assertThat(event.getType()).isEqualTo("payout.paid");
        assertThat(event.getAccount()).isEqualTo("acct_42");
    }

    @Test
    void quickbooksAndXeroWebhooksCarryTheirHmacOverTheRawBody() throws Exception {
        given().contentType("application/json").body(Map.of("account", "9130350000000001"))
                .post("/admin/webhooks/quickbooks").then().statusCode(200);
        LoggedRequest quickbooks = last("/webhooks/quickbooks");
        assertThat(quickbooks.getHeader("intuit-signature"))
                .isEqualTo(base64Hmac("sandbox-quickbooks-verifier", quickbooks.getBody()));
        assertThat(JsonPath.from(quickbooks.getBodyAsString()).getString("eventNotifications[0].realmId"))
                .isEqualTo("9130350000000001");

        given().contentType("application/json").body(Map.of("payload", Map.of("events", List.of(),
                        "lastEventSequence", 0, "firstEventSequence", 0, "entropy", "S0m3r4Nd0mt3xt")))
                .post("/admin/webhooks/xero").then().statusCode(200);
        LoggedRequest xero = last("/webhooks/xero");
        assertThat(xero.getHeader("x-xero-signature")).isEqualTo(base64Hmac("sandbox-xero-webhook-key",
                xero.getBody()));

        given().contentType("application/json").body(Map.of()).post("/admin/webhooks/amocrm").then().statusCode(404);
    }

    private LoggedRequest last(String path) {
        List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(requests).isNotEmpty();
        return requests.get(requests.size() - 1);
    }

    private static void arm(String provider, Map<String, Object> fault) {
        given().contentType("application/json").body(fault).put("/admin/faults/" + provider).then().statusCode(200);
    }

    private static String base64Hmac(String key, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
