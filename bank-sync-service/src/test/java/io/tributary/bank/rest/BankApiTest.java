package io.tributary.bank.rest;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tributary.bank.PlaidStubTestResource;
import io.tributary.bank.PlaidStubs;
import io.tributary.bank.TestTokens;
import io.tributary.bank.service.PlaidSync;
import io.tributary.testsupport.InfrastructureTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** The caller-scoped data API over rows a real Plaid sync wrote; every endpoint refuses another user's ids. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(PlaidStubTestResource.class)
class BankApiTest {

    private static final String PROBLEM = "application/problem+json";
    WireMockServer plaid;

    @Inject
    PlaidSync sync;

    @Inject
    Pool pool;

    @Test
    void accountsAndTheirBalanceHistoryAreTheCallersOnly() {
        String alice = user();
        Synced synced = syncedUser(alice, 4);
        String checking = accountId(alice, "acc-check");
        // a later sync in which the checking balance moved
        plaid.stubFor(PlaidStubs.request(synced.token, "s1").willReturn(PlaidStubs.okJson(PlaidStubs.body(1300.00,
                List.of(), "s2", false))));
        sync.run(synced.connection, synced.token).await().atMost(Duration.ofSeconds(30));

        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/bank/accounts")
                .then().statusCode(200).body("$", hasSize(2))
                .body("find { it.providerAccountId == 'acc-card' }.availableCredit", equalTo(4700.0f));
        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/bank/accounts/" + checking + "/balances?type=current")
                .then().statusCode(200).body("$", hasSize(2))
                .body("[0].amount", equalTo(1300.0f)).body("[0].current", equalTo(true))
                .body("[0].previousAmount", equalTo(1250.1f)).body("[0].changeAmount", equalTo(49.9f))
                .body("[1].current", equalTo(false));
        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/bank/accounts/" + checking + "/balances?type=cash")
                .then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.user(alice))
                .when().get("/api/bank/accounts/" + checking + "/balances?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z")
                .then().statusCode(400).contentType(PROBLEM);

        String bob = TestTokens.user(user());
        given().auth().oauth2(bob).when().get("/api/bank/accounts").then().statusCode(200).body("$", hasSize(0));
        given().auth().oauth2(bob).when().get("/api/bank/accounts/" + checking).then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(bob).when().get("/api/bank/accounts/" + checking + "/balances").then().statusCode(404);
        given().auth().oauth2(bob).when().get("/api/bank/accounts/" + checking + "/preferences").then().statusCode(404);
        given().auth().oauth2(bob).when().delete("/api/bank/accounts/" + checking).then().statusCode(404);
        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/bank/accounts/not-a-uuid").then().statusCode(404);
        given().when().get("/api/bank/accounts").then().statusCode(401);

        given().auth().oauth2(TestTokens.user(alice)).when().delete("/api/bank/accounts/" + checking)
                .then().statusCode(204);
        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/bank/accounts")
                .then().statusCode(200).body("$", hasSize(1));
        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/bank/transactions?accountId=" + checking)
                .then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void transactionsPageThroughWithACursorAndFilter() {
        String alice = user();
        syncedUser(alice, 12);
        String token = TestTokens.user(alice);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = given().auth().oauth2(token).queryParam("limit", 5)
                    .queryParam("cursor", cursor == null ? "" : cursor)
                    .when().get("/api/bank/transactions").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.providerTransactionId"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(12).doesNotHaveDuplicates();

        // money out is negative here: Plaid's 4.50 is -4.50
        given().auth().oauth2(token).when().get("/api/bank/transactions?minAmount=-6&maxAmount=0")
                .then().statusCode(200).body("items", hasSize(2)).body("items.amount", org.hamcrest.Matchers
                        .containsInAnyOrder(-4.5f, -5.5f));
        given().auth().oauth2(token).when().get("/api/bank/transactions?from=2026-11-03&to=2026-11-04")
                .then().statusCode(200).body("items", hasSize(2));
        given().auth().oauth2(token).when().get("/api/bank/transactions?q=costa&pending=false&limit=200")
                .then().statusCode(200).body("items", hasSize(12));
        String food = pool.query("SELECT id FROM bank.categories WHERE user_id IS NULL "
                + "AND provider_code = 'FOOD_AND_DRINK'").execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getUUID("id").toString();
        given().auth().oauth2(token).when().get("/api/bank/transactions?limit=200&categoryId=" + food)
                .then().statusCode(200).body("items", hasSize(12)).body("items[0].categoryName", equalTo("Food and drink"));
        given().auth().oauth2(token).when().get("/api/bank/transactions?categoryId=" + UUID.randomUUID())
                .then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(TestTokens.user(user())).when().get("/api/bank/transactions")
                .then().statusCode(200).body("items", hasSize(0)).body("nextCursor", nullValue());

        for (String bad : List.of("cursor=bm90LWEtY3Vyc29y", "from=yesterday", "minAmount=ten", "pending=maybe",
                "accountId=42", "minAmount=5&maxAmount=1", "from=2026-11-05&to=2026-11-01", "limit=0", "limit=201")) {
            given().auth().oauth2(token).when().get("/api/bank/transactions?" + bad)
                    .then().statusCode(400).contentType(PROBLEM);
        }
    }

    @Test
    void aTransactionTakesTheCallersCategoryAndNotesAndNothingElse() {
        String alice = user();
        syncedUser(alice, 2);
        String token = TestTokens.user(alice);
        String id = given().auth().oauth2(token).when().get("/api/bank/transactions").then().statusCode(200)
                .extract().jsonPath().getString("items[0].id");
        String mine = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", "Coffee habit", "kind", "expense", "color", "#6D4C41"))
                .when().post("/api/bank/categories").then().statusCode(201).extract().jsonPath().getString("id");
        String bobs = given().auth().oauth2(TestTokens.user(user())).contentType(ContentType.JSON)
                .body(Map.of("name", "Bob's", "kind", "expense"))
                .when().post("/api/bank/categories").then().statusCode(201).extract().jsonPath().getString("id");

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("categoryId", mine, "notes", "with Dana"))
                .when().patch("/api/bank/transactions/" + id)
                .then().statusCode(200).body("categoryId", equalTo(mine)).body("categoryName", equalTo("Coffee habit"))
                .body("notes", equalTo("with Dana"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("categoryId", bobs))
                .when().patch("/api/bank/transactions/" + id)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("categoryId"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("amount", 1))
                .when().patch("/api/bank/transactions/" + id)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("amount"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("notes", "x".repeat(2001)))
                .when().patch("/api/bank/transactions/" + id).then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"notes\": ")
                .when().patch("/api/bank/transactions/" + id).then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.user(user())).contentType(ContentType.JSON).body(Map.of("notes", "mine now"))
                .when().patch("/api/bank/transactions/" + id).then().statusCode(404).contentType(PROBLEM);

        // deleting the category leaves the transaction uncategorised; its notes stay
        given().auth().oauth2(token).when().delete("/api/bank/categories/" + mine).then().statusCode(204);
        given().auth().oauth2(token).when().get("/api/bank/transactions/" + id)
                .then().statusCode(200).body("categoryId", nullValue()).body("notes", equalTo("with Dana"));
    }

    @Test
    void categoriesAreTheSystemsToReadAndTheCallersToChange() {
        String alice = TestTokens.user(user());
        String bob = TestTokens.user(user());
        String food = given().auth().oauth2(alice).when().get("/api/bank/categories").then().statusCode(200)
                .body("findAll { it.system }", hasSize(16))
                .extract().jsonPath().getString("find { it.providerCode == 'FOOD_AND_DRINK' }.id");
        String groceries = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "Groceries", "kind", "expense", "parentId", food, "icon", "basket"))
                .when().post("/api/bank/categories").then().statusCode(201)
                .body("parentId", equalTo(food)).body("system", equalTo(false)).extract().jsonPath().getString("id");

        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "groceries", "kind", "expense", "parentId", food))
                .when().post("/api/bank/categories").then().statusCode(409).contentType(PROBLEM);
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "Food", "kind", "expense", "color", "red"))
                .when().post("/api/bank/categories").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("name", "Gifts", "kind", "present"))
                .when().post("/api/bank/categories").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "Eating", "kind", "expense"))
                .when().put("/api/bank/categories/" + food).then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(alice).when().delete("/api/bank/categories/" + food).then().statusCode(403);

        given().auth().oauth2(bob).when().get("/api/bank/categories").then().statusCode(200)
                .body("findAll { !it.system }", hasSize(0));
        given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("name", "Mine", "kind", "expense"))
                .when().put("/api/bank/categories/" + groceries).then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(bob).when().delete("/api/bank/categories/" + groceries).then().statusCode(404);
        given().auth().oauth2(bob).contentType(ContentType.JSON)
                .body(Map.of("name", "Sub", "kind", "expense", "parentId", groceries))
                .when().post("/api/bank/categories").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("parentId"));

        // a category cannot move under its own child
        String organic = given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "Organic", "kind", "expense", "parentId", groceries))
                .when().post("/api/bank/categories").then().statusCode(201).extract().jsonPath().getString("id");
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "Groceries", "kind", "expense", "parentId", organic))
                .when().put("/api/bank/categories/" + groceries).then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("parentId"));

        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body(Map.of("name", "Food shop", "kind", "expense", "parentId", food, "color", "#2E7D32"))
                .when().put("/api/bank/categories/" + groceries).then().statusCode(200)
                .body("name", equalTo("Food shop")).body("color", equalTo("#2E7D32"));
    }

    @Test
    void preferencesAreTheCallersDefaultsAndTheirAccountsOwn() {
        String alice = user();
        syncedUser(alice, 1);
        String token = TestTokens.user(alice);
        String card = accountId(alice, "acc-card");

        given().auth().oauth2(token).when().get("/api/bank/preferences").then().statusCode(200)
                .body("balanceAlertsEnabled", equalTo(true)).body("alertChannels", hasSize(0));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("lowBalanceThreshold", 100, "largeTransactionThreshold", 500,
                        "alertChannels", List.of("push", "email", "push"), "displayCurrency", "GBP"))
                .when().put("/api/bank/preferences").then().statusCode(200)
                .body("lowBalanceThreshold", equalTo(100.0f)).body("alertChannels", equalTo(List.of("push", "email")));
        given().auth().oauth2(token).when().get("/api/bank/preferences").then().statusCode(200)
                .body("displayCurrency", equalTo("GBP"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("accountAlias", "Travel card", "accountColor", "#00838F"))
                .when().put("/api/bank/accounts/" + card + "/preferences").then().statusCode(200);
        given().auth().oauth2(token).when().get("/api/bank/accounts/" + card)
                .then().statusCode(200).body("alias", equalTo("Travel card"));

        for (Map<String, Object> bad : List.of(Map.<String, Object>of("alertChannels", List.of("pigeon")),
                Map.<String, Object>of("largeTransactionThreshold", -5), Map.<String, Object>of("displayCurrency", "gbp"),
                Map.<String, Object>of("lowBalanceThreshold", "lots"))) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(bad)
                    .when().put("/api/bank/preferences").then().statusCode(400).contentType(PROBLEM);
        }
        given().auth().oauth2(TestTokens.user(user())).contentType(ContentType.JSON).body(Map.of("hidden", true))
                .when().put("/api/bank/accounts/" + card + "/preferences").then().statusCode(404);
        given().auth().oauth2(token).when().get("/api/bank/preferences").then().statusCode(200)
                .body("lowBalanceThreshold", equalTo(100.0f)).body("accountAlias", nullValue());
        given().auth().oauth2(token).when().get("/api/bank/accounts/" + card + "/preferences").then()
                .statusCode(200).body("accountColor", equalTo("#00838F"));
    }

    private record Synced(UUID connection, String token) {
    }

    /** A user whose Plaid Item was synced: two accounts and {@code transactions} transactions. */
    private Synced syncedUser(String userId, int transactions) {
        UUID connection = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO bank.bank_connections (id, integration_id, user_id, provider, external_id, "
                        + "institution_name) VALUES ($1, $2, $3, 'plaid', $4, 'First Platypus Bank')")
                .execute(Tuple.of(connection, UUID.randomUUID(), userId, "item-" + connection))
                .await().atMost(Duration.ofSeconds(10));
        String token = PlaidStubs.token();
        PlaidStubs.page(plaid, token, null, PlaidStubs.transactions("t" + connection, 0, transactions), List.of(),
                List.of(), "s1", false);
        sync.run(connection, token).await().atMost(Duration.ofSeconds(30));
        return new Synced(connection, token);
    }

    private String accountId(String userId, String providerAccountId) {
        return pool.preparedQuery("SELECT id FROM bank.bank_accounts WHERE user_id = $1 AND provider_account_id = $2")
                .execute(Tuple.of(userId, providerAccountId)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getUUID("id").toString();
    }

    private static String user() {
        return "user-" + UUID.randomUUID();
    }
}
