package io.tributary.sandbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** YNAB's API v1: OAuth with rotating refresh tokens, milliunits, and delta requests by server knowledge. */
@QuarkusTest
@WithTestResource(WebhookReceiverTestResource.class)
class YnabTest {

    private static final String REDIRECT = "http://localhost:3000/oauth/callback";

    @AfterEach
    void clearFaults() {
        given().delete("/admin/faults").then().statusCode(204);
    }

    @Test
    void deltaRequestsReturnOnlyWhatChangedSinceTheServerKnowledge() {
        String token = connect();
        String budgetId = given().auth().oauth2(token).get("/ynab/v1/budgets").then().statusCode(200)
                .body("data.budgets[0].currency_format.iso_code", equalTo("USD"))
                .extract().path("data.budgets[0].id");
        // a budget's settings name its currency, as YNAB's GET /budgets/{id}/settings does
        given().auth().oauth2(token).get("/ynab/v1/budgets/last-used/settings").then().statusCode(200)
                .body("data.settings.currency_format.iso_code", equalTo("USD"))
                .body("data.settings.currency_format.decimal_digits", equalTo(2))
                .body("data.settings.date_format.format", equalTo("YYYY-MM-DD"));

        List<Map<String, Object>> accounts = given().auth().oauth2(token).get("/ynab/v1/budgets/" + budgetId + "/accounts")
                .then().statusCode(200).extract().jsonPath().getList("data.accounts");
        assertThat(accounts).hasSize(2).allSatisfy(account -> assertThat(account).containsKeys("id", "name", "type",
                "on_budget", "closed", "balance", "cleared_balance", "uncleared_balance", "deleted"));

        JsonPath full = given().auth().oauth2(token).get("/ynab/v1/budgets/last-used/transactions")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> all = full.getList("data.transactions");
        long knowledge = full.getLong("data.server_knowledge");
        assertThat(all).hasSize(120).allSatisfy(transaction -> {
            assertThat(transaction).containsKeys("id", "date", "amount", "cleared", "approved", "account_id",
                    "payee_name", "category_name", "deleted", "subtransactions");
            assertThat(transaction.get("amount")).isInstanceOf(Integer.class);
            assertThat(Set.of("cleared", "uncleared", "reconciled")).contains((String) transaction.get("cleared"));
        });
        assertThat(knowledge).isEqualTo(120);

        // nothing changed: an empty delta, same knowledge
        given().auth().oauth2(token).queryParam("last_knowledge_of_server", knowledge)
                .get("/ynab/v1/budgets/" + budgetId + "/transactions")
                .then().statusCode(200).body("data.transactions.size()", equalTo(0))
                .body("data.server_knowledge", equalTo(120));

        given().contentType("application/json").body(Map.of("added", 3, "modified", 2, "deleted", 1))
                .post("/admin/ynab/budgets/" + budgetId + "/churn")
                .then().statusCode(200).body("serverKnowledge", equalTo(126));
        JsonPath delta = given().auth().oauth2(token).queryParam("last_knowledge_of_server", knowledge)
                .get("/ynab/v1/budgets/" + budgetId + "/transactions").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> changed = delta.getList("data.transactions");
        assertThat(delta.getLong("data.server_knowledge")).isEqualTo(126);
        assertThat(changed.stream().filter(t -> Boolean.TRUE.equals(t.get("deleted")))).hasSize(1);
        Set<Object> before = all.stream().map(t -> t.get("id")).collect(Collectors.toSet());
        assertThat(changed.stream().filter(t -> !before.contains(t.get("id")))).hasSize(3);
    }

    @Test
    void refusesBadInputOtherBudgetsAndExpiredTokensInYnabsErrorShape() {
        String token = connect();
        given().get("/ynab/v1/budgets").then().statusCode(401).body("error.id", equalTo("401"))
                .body("error.name", equalTo("unauthorized"));
        given().auth().oauth2(token).get("/ynab/v1/budgets/" + java.util.UUID.randomUUID() + "/transactions")
                .then().statusCode(404).body("error.name", equalTo("resource_not_found"));
        given().auth().oauth2(token).queryParam("last_knowledge_of_server", "lots")
                .get("/ynab/v1/budgets/last-used/transactions").then().statusCode(400)
                .body("error.name", equalTo("bad_request"));

        given().contentType("application/json").body(Map.of("type", "rate_limit")).put("/admin/faults/ynab")
                .then().statusCode(200);
        given().auth().oauth2(token).get("/ynab/v1/budgets").then().statusCode(429)
                .header("Retry-After", notNullValue()).body("error.name", equalTo("too_many_requests"));
    }

    /** The OAuth flow: a code, then tokens; a refresh spends the old refresh token. */
    private static String connect() {
        Response approved = given().redirects().follow(false)
                .queryParams(Map.of("response_type", "code", "client_id", "sandbox-ynab-client", "redirect_uri", REDIRECT,
                        "state", "s", "auto", "approve"))
                .get("/ynab/oauth/authorize");
        approved.then().statusCode(303);
        String code = null;
        for (String pair : URI.create(approved.header("Location")).getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                code = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        Response tokens = given().formParams(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
                REDIRECT, "client_id", "sandbox-ynab-client", "client_secret", "sandbox-ynab-secret"))
                .post("/ynab/oauth/token");
        tokens.then().statusCode(200).body("expires_in", equalTo(7200));
        Response refreshed = given().formParams(Map.of("grant_type", "refresh_token", "refresh_token",
                        tokens.path("refresh_token"), "client_id", "sandbox-ynab-client", "client_secret",
                        "sandbox-ynab-secret"))
                .post("/ynab/oauth/token");
        refreshed.then().statusCode(200);
        given().formParams(Map.of("grant_type", "refresh_token", "refresh_token", tokens.path("refresh_token"),
                        "client_id", "sandbox-ynab-client", "client_secret", "sandbox-ynab-secret"))
                .post("/ynab/oauth/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        return refreshed.path("access_token");
    }
}
