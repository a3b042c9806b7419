package io.tributary.sandbox;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwa.AlgorithmConstraints;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** Plaid's API as shared/providers.md 2.1 and section 4 describe it: paths, field names, cursors, errors. */
@QuarkusTest
@WithTestResource(WebhookReceiverTestResource.class)
class PlaidApiTest {

    /** AccountBase's required fields. */
    static final Set<String> ACCOUNT_FIELDS = Set.of("account_id", "balances", "mask", "name", "official_name", "type",
            "subtype");
    static final Set<String> BALANCE_FIELDS = Set.of("available", "current", "limit", "iso_currency_code",
            "unofficial_currency_code");
    /** Transaction's required fields. */
    static final Set<String> TRANSACTION_FIELDS = Set.of("account_id", "amount", "iso_currency_code",
            "unofficial_currency_code", "date", "name", "pending", "pending_transaction_id", "account_owner",
            "transaction_id", "authorized_date", "authorized_datetime", "datetime", "payment_channel");
    static final Set<String> PLAID_ERROR_FIELDS = Set.of("error_type", "error_code", "error_message",
            "display_message", "request_id");

    @WebhookReceiver
    WireMockServer receiver;

    @Test
    void linkTokenPublicTokenAndExchangeAnswerInPlaidsShape() {
        plaid("/link/token/create", Map.of("client_name", "Tributary", "language", "en",
                "country_codes", List.of("GB"), "user", Map.of("client_user_id", "alice"), "products",
                List.of("transactions")))
                .then().statusCode(200)
                .body("link_token", startsWith("link-sandbox-"))
                .body("expiration", notNullValue())
                .body("request_id", notNullValue());

        JsonPath missing = plaid("/link/token/create", Map.of("language", "en", "country_codes", List.of("GB")))
                .then().statusCode(400).extract().jsonPath();
        assertThat(missing.getMap("").keySet()).containsAll(PLAID_ERROR_FIELDS);
        assertThat(missing.getString("error_type")).isEqualTo("INVALID_REQUEST");
        assertThat(missing.getString("error_code")).isEqualTo("MISSING_FIELDS");

        String publicToken = plaid("/sandbox/public_token/create", Map.of("institution_id", "ins_109508",
                "initial_products", List.of("transactions"))).then().statusCode(200).extract().path("public_token");
        assertThat(publicToken).startsWith("public-sandbox-");
        JsonPath exchanged = plaid("/item/public_token/exchange", Map.of("public_token", publicToken))
                .then().statusCode(200).extract().jsonPath();
        assertThat(exchanged.getString("access_token")).startsWith("access-sandbox-");
        assertThat(exchanged.getString("item_id")).isNotBlank();

        // a public token is exchanged once
        plaid("/item/public_token/exchange", Map.of("public_token", publicToken))
                .then().statusCode(400).body("error_code", equalTo("INVALID_PUBLIC_TOKEN"));
        // wrong keys, a foreign access token
        given().contentType("application/json").header("PLAID-CLIENT-ID", "sandbox-plaid-client")
                .header("PLAID-SECRET", "wrong").body(Map.of("access_token", exchanged.getString("access_token")))
                .post("/plaid/accounts/get").then().statusCode(400).body("error_code", equalTo("INVALID_API_KEYS"));
        plaid("/accounts/get", Map.of("access_token", "access-sandbox-unknown"))
                .then().statusCode(400).body("error_type", equalTo("INVALID_INPUT"))
                .body("error_code", equalTo("INVALID_ACCESS_TOKEN"));
        // credentials may also come in the body
        Map<String, Object> inBody = Map.of("client_id", "sandbox-plaid-client", "secret", "sandbox-plaid-secret",
                "access_token", exchanged.getString("access_token"));
        given().contentType("application/json").body(inBody).post("/plaid/accounts/get").then().statusCode(200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void accountsCarryEveryRequiredAccountBaseField() {
        String access = item(Map.of("accounts", 3, "transactionsPerAccount", 10, "seed", 7));
        JsonPath accounts = plaid("/accounts/get", Map.of("access_token", access)).then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> list = accounts.getList("accounts");
        assertThat(list).hasSize(3);
        for (Map<String, Object> account : list) {
            assertThat(account.keySet()).containsAll(ACCOUNT_FIELDS);
            assertThat(((Map<String, Object>) account.get("balances")).keySet()).containsAll(BALANCE_FIELDS);
            assertThat(List.of("investment", "credit", "depository", "loan", "brokerage", "other"))
                    .contains((String) account.get("type"));
        }
        assertThat(accounts.getString("item.item_id")).isNotBlank();
        plaid("/accounts/balance/get", Map.of("access_token", access)).then().statusCode(200)
                .body("accounts.size()", equalTo(3));
    }

    @Test
    void transactionsSyncPagesTheWholeHistoryDeterministicallyThenOnlyWhatChurnChanged() throws Exception {
        Map<String, Object> volume = Map.of("accounts", 3, "transactionsPerAccount", 250, "seed", 2026,
                "anchorDate", "2026-11-20", "webhook", receiver.baseUrl() + "/plaid-item-hook");
        String access = item(volume);

        List<Map<String, Object>> history = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        boolean more = true;
        while (more) {
            Map<String, Object> request = new HashMap<>(Map.of("access_token", access, "count", 500));
            if (cursor != null) {
                request.put("cursor", cursor);
            }
            JsonPath page = plaid("/transactions/sync", request).then().statusCode(200).extract().jsonPath();
            assertThat(page.getMap("").keySet()).contains("accounts", "added", "modified", "removed", "next_cursor",
                    "has_more", "transactions_update_status", "request_id");
            history.addAll(page.getList("added"));
            assertThat(page.getList("modified")).isEmpty();
            assertThat(page.getList("removed")).isEmpty();
            cursor = page.getString("next_cursor");
            more = page.getBoolean("has_more");
            pages++;
        }
        assertThat(pages).isEqualTo(2);
        assertThat(history).hasSize(750);
        history.forEach(transaction -> assertThat(transaction.keySet()).containsAll(TRANSACTION_FIELDS));
        assertThat(history.stream().map(t -> t.get("transaction_id")).collect(Collectors.toSet())).hasSize(750);
        assertThat(history.stream().filter(t -> Boolean.TRUE.equals(t.get("pending")))).hasSize(9);
        assertThat(history.stream().map(t -> (String) t.get("payment_channel")).collect(Collectors.toSet()))
                .isSubsetOf("online", "in store", "other");

        // the same seed gives the same data
        String twin = item(volume);
        List<Object> twinFirstPage = plaid("/transactions/sync", Map.of("access_token", twin, "count", 500))
                .then().statusCode(200).extract().jsonPath().getList("added");
        assertThat(twinFirstPage).isEqualTo(history.subList(0, 500));

        // churn: the incremental sync from the final cursor holds exactly the changes
        String itemId = plaid("/accounts/get", Map.of("access_token", access)).then().extract().path("item.item_id");
        given().contentType("application/json").body(Map.of("added", 5, "modified", 4, "removed", 3, "posted", 2))
                .post("/admin/plaid/items/" + itemId + "/churn")
                .then().statusCode(200).body("added", equalTo(7)).body("modified", equalTo(4))
                .body("removed", equalTo(5)).body("webhook.status", equalTo(200));
        JsonPath changes = plaid("/transactions/sync", Map.of("access_token", access, "cursor", cursor))
                .then().statusCode(200).extract().jsonPath();
        assertThat(changes.getBoolean("has_more")).isFalse();
        assertThat(changes.getList("added")).hasSize(7);
        assertThat(changes.getList("modified")).hasSize(4);
        List<Map<String, Object>> removed = changes.getList("removed");
        assertThat(removed).hasSize(5).allSatisfy(r -> assertThat(r.keySet()).containsExactlyInAnyOrder(
                "transaction_id", "account_id"));
        List<Map<String, Object>> posted = changes.<Map<String, Object>>getList("added").stream()
                .filter(t -> t.get("pending_transaction_id") != null).toList();
        assertThat(posted).hasSize(2).allSatisfy(t -> assertThat(t.get("pending")).isEqualTo(false));
        Set<Object> removedIds = removed.stream().map(r -> r.get("transaction_id")).collect(Collectors.toSet());
        Set<Object> pendingIds = history.stream().filter(t -> Boolean.TRUE.equals(t.get("pending")))
                .map(t -> t.get("transaction_id")).collect(Collectors.toSet());
        assertThat(posted).allSatisfy(t -> assertThat(removedIds).contains(t.get("pending_transaction_id")));
        assertThat(posted).allSatisfy(t -> assertThat(pendingIds).contains(t.get("pending_transaction_id")));

        // ...and the Item's webhook, signed as Plaid signs: ES256 JWT over the body's SHA-256
        List<LoggedRequest> hooks = receiver.findAll(postRequestedFor(urlEqualTo("/plaid-item-hook")));
        assertThat(hooks).isNotEmpty();
        LoggedRequest hook = hooks.get(hooks.size() - 1);
        assertThat(new String(hook.getBody())).contains("\"webhook_code\":\"SYNC_UPDATES_AVAILABLE\"")
                .contains("\"item_id\":\"" + itemId + "\"");
        assertPlaidSignature(hook);
    }

    @Test
    void syncRefusesBadCountsAndCursorsOfOtherItems() {
        String access = item(Map.of("accounts", 1, "transactionsPerAccount", 5));
        String other = item(Map.of("accounts", 1, "transactionsPerAccount", 5));
        String otherCursor = plaid("/transactions/sync", Map.of("access_token", other)).then().extract()
                .path("next_cursor");

        plaid("/transactions/sync", Map.of("access_token", access, "count", 501))
                .then().statusCode(400).body("error_code", equalTo("INVALID_FIELD"));
        plaid("/transactions/sync", Map.of("access_token", access, "count", "ten"))
                .then().statusCode(400).body("error_code", equalTo("INVALID_FIELD"));
        plaid("/transactions/sync", Map.of("access_token", access, "cursor", otherCursor))
                .then().statusCode(400).body("error_code", equalTo("INVALID_FIELD"));
        plaid("/transactions/sync", Map.of("access_token", access, "cursor", "%%%not-base64"))
                .then().statusCode(400).body("error_code", equalTo("INVALID_FIELD"));
        plaid("/transactions/sync", Map.of("cursor", "")).then().statusCode(400)
                .body("error_code", equalTo("MISSING_FIELDS"));
        given().contentType("application/json").header("PLAID-CLIENT-ID", "sandbox-plaid-client")
                .header("PLAID-SECRET", "sandbox-plaid-secret").body("{\"access_token\": ")
                .post("/plaid/transactions/sync")
                .then().statusCode(400).body("error_type", equalTo("INVALID_REQUEST"))
                .body("error_code", equalTo("INVALID_BODY"));
    }

    @Test
    void aMillionTransactionsAreServedWithoutBeingHeld() {
        String access = item(Map.of("accounts", 1, "transactionsPerAccount", 1_000_000, "seed", 1,
                "anchorDate", "2026-11-20"));
        JsonPath page = plaid("/transactions/sync", Map.of("access_token", access, "count", 500))
                .then().statusCode(200).extract().jsonPath();
        assertThat(page.getList("added")).hasSize(500);
        assertThat(page.getBoolean("has_more")).isTrue();
        // the oldest of a million comes first, two years before the anchor
        assertThat(page.getString("added[0].date")).isEqualTo("2024-11-21");
    }

    private void assertPlaidSignature(LoggedRequest hook) throws Exception {
        String jwt = hook.getHeader("Plaid-Verification");
        String header = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
        assertThat(header).contains("\"alg\":\"ES256\"");
        String kid = JsonPath.from(header).getString("kid");
        Map<String, Object> key = plaid("/webhook_verification_key/get", Map.of("key_id", kid))
                .then().statusCode(200)
                .body("key.alg", equalTo("ES256")).body("key.crv", equalTo("P-256")).body("key.kty", equalTo("EC"))
                .body("key.use", equalTo("sig")).body("key.kid", equalTo(kid))
                .extract().jsonPath().getMap("key");
        assertThat(key).containsKeys("x", "y", "created_at", "expired_at");
        Map<String, Object> jwk = new LinkedHashMap<>(key);
        jwk.remove("created_at");
        jwk.remove("expired_at");
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKey(JsonWebKey.Factory.newJwk(jwk).getKey())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setRequireIssuedAt()
                .setSkipDefaultAudienceValidation()
                .build().processToClaims(jwt);
        assertThat(claims.getStringClaimValue("request_body_sha256"))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(hook.getBody())));
        plaid("/webhook_verification_key/get", Map.of("key_id", "unknown")).then().statusCode(400)
                .body("error_type", equalTo("INVALID_INPUT"));
    }

    static String item(Map<String, Object> volume) {
        String publicToken = given().contentType("application/json").body(volume).post("/admin/plaid/items")
                .then().statusCode(200).extract().path("publicToken");
        return plaid("/item/public_token/exchange", Map.of("public_token", publicToken)).then().statusCode(200)
                .extract().path("access_token");
    }

    static io.restassured.response.Response plaid(String path, Map<String, ?> body) {
        return given().contentType("application/json").header("PLAID-CLIENT-ID", "sandbox-plaid-client")
                .header("PLAID-SECRET", "sandbox-plaid-secret").body(body).post("/plaid" + path);
    }
}
