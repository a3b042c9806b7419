package io.tributary.bank.rest;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.tributary.bank.PlaidStubTestResource;
import io.tributary.bank.PlaidStubs;
import io.tributary.bank.TestTokens;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

/** Plaid Link through the caller-scoped API, with Plaid and oauth-service stood in for by WireMock. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(PlaidStubTestResource.class)
class PlaidLinkResourceTest {

    private static final String PROBLEM = "application/problem+json";

    WireMockServer plaid;

    @Inject
    Pool pool;

    @Test
    void aUserGetsALinkTokenForTheirPlaidIntegrationOnly() {
        String alice = user();
        UUID integration = integration(alice, "plaid", IntegrationCategory.AGGREGATOR);
        UUID bank = integration(alice, "hsbc", IntegrationCategory.BANK);
        plaid.stubFor(post(urlEqualTo("/link/token/create"))
                .withHeader("PLAID-CLIENT-ID", com.github.tomakehurst.wiremock.client.WireMock.equalTo("plaid-test-client"))
                .withRequestBody(matchingJsonPath("$.user.client_user_id",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(alice)))
                .withRequestBody(matchingJsonPath("$.products[0]",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("transactions")))
                .willReturn(PlaidStubs.okJson("{\"link_token\":\"link-sandbox-" + alice + "\",\"expiration\":"
                        + "\"2026-11-22T06:00:00Z\",\"request_id\":\"req-l\"}")));

        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body(Map.of("integrationId", integration.toString()))
                .when().post("/api/bank/plaid/link/token")
                .then().statusCode(200)
                .body("linkToken", equalTo("link-sandbox-" + alice))
                .body("mode", equalTo("create"));

        // another user's integration does not exist for bob; a bank integration is not linked with Plaid
        given().auth().oauth2(TestTokens.user(user())).contentType(ContentType.JSON)
                .body(Map.of("integrationId", integration.toString()))
                .when().post("/api/bank/plaid/link/token")
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body(Map.of("integrationId", bank.toString()))
                .when().post("/api/bank/plaid/link/token")
                .then().statusCode(422).contentType(PROBLEM).body("detail", containsString("hsbc"));
        given().contentType(ContentType.JSON).body(Map.of("integrationId", integration.toString()))
                .when().post("/api/bank/plaid/link/token")
                .then().statusCode(401);
    }

    @Test
    void exchangingThePublicTokenConnectsTheItemAndHandsItsTokenToOauthService() {
        String alice = user();
        UUID integration = integration(alice, "plaid", IntegrationCategory.AGGREGATOR);
        String publicToken = "public-sandbox-" + UUID.randomUUID();
        String accessToken = PlaidStubs.token();
        String itemId = "item-" + UUID.randomUUID();
        stubExchange(publicToken, accessToken, itemId);

        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body(Map.of("integrationId", integration.toString(), "publicToken", publicToken))
                .when().post("/api/bank/plaid/link/exchange")
                .then().statusCode(201)
                .body("itemId", equalTo(itemId))
                .body("institutionName", equalTo("First Platypus Bank"))
                .body("accounts", hasSize(2))
                .body("accounts.find { it.providerAccountId == 'acc-card' }.accountType", equalTo("credit_card"))
                .body(not(containsString(accessToken)));

        plaid.verify(putRequestedFor(urlEqualTo("/internal/credentials/" + integration))
                .withHeader("Authorization", matching("Bearer .+"))
                .withRequestBody(equalToJson("{\"kind\":\"plaid\",\"accessToken\":\"" + accessToken
                        + "\",\"account\":{\"itemId\":\"" + itemId + "\"}}")));
        Row connection = row("SELECT user_id, provider, external_id, institution_id, is_active FROM "
                + "bank.bank_connections WHERE integration_id = $1", integration);
        assertThat(connection.getString("user_id")).isEqualTo(alice);
        assertThat(connection.getString("external_id")).isEqualTo(itemId);
        assertThat(connection.getString("institution_id")).isEqualTo("ins_109508");
        // the access token lives in oauth-service only
        assertThat(row("SELECT count(*) FROM bank.bank_connections WHERE concat_ws(' ', external_id, sync_cursor, "
                + "last_error, institution_id) LIKE $1", "%" + accessToken + "%").getLong(0)).isZero();

        // a second Item for the same integration is refused; the same Item again is fine
        String otherPublic = "public-sandbox-" + UUID.randomUUID();
        stubExchange(otherPublic, PlaidStubs.token(), "item-" + UUID.randomUUID());
        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body(Map.of("integrationId", integration.toString(), "publicToken", otherPublic))
                .when().post("/api/bank/plaid/link/exchange")
                .then().statusCode(409).contentType(PROBLEM);
    }

    @Test
    void aRefusedOrMalformedPublicTokenIsAClearProblemAndChangesNothing() {
        String alice = user();
        UUID integration = integration(alice, "plaid", IntegrationCategory.AGGREGATOR);
        plaid.stubFor(post(urlEqualTo("/item/public_token/exchange"))
                .withRequestBody(matchingJsonPath("$.public_token",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("public-sandbox-expired")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error_type\":\"INVALID_INPUT\",\"error_code\":\"INVALID_PUBLIC_TOKEN\","
                                + "\"error_message\":\"provided public token is expired\",\"display_message\":null,"
                                + "\"request_id\":\"req-x\"}")));

        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body(Map.of("integrationId", integration.toString(), "publicToken", "public-sandbox-expired"))
                .when().post("/api/bank/plaid/link/exchange")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("publicToken"))
                .body("errors[0].message", containsString("INVALID_PUBLIC_TOKEN"));
        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body("{\"integrationId\": \"" + integration + "\", \"publicToken\": ")
                .when().post("/api/bank/plaid/link/exchange")
                .then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body(Map.of("integrationId", "not-a-uuid", "publicToken", "public-sandbox-x"))
                .when().post("/api/bank/plaid/link/exchange")
                .then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body(Map.of("integrationId", integration.toString(), "publicToken", "<script>"))
                .when().post("/api/bank/plaid/link/exchange")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", containsString("publicToken"));
        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body(Map.of("integrationId", integration.toString()))
                .when().post("/api/bank/plaid/link/exchange")
                .then().statusCode(400).contentType(PROBLEM);

        // bob cannot exchange into alice's integration, and Plaid is never asked
        String bobsPublic = "public-sandbox-" + UUID.randomUUID();
        given().auth().oauth2(TestTokens.user(user())).contentType(ContentType.JSON)
                .body(Map.of("integrationId", integration.toString(), "publicToken", bobsPublic))
                .when().post("/api/bank/plaid/link/exchange")
                .then().statusCode(404).contentType(PROBLEM);
        plaid.verify(0, postRequestedFor(urlEqualTo("/item/public_token/exchange"))
                .withRequestBody(matchingJsonPath("$.public_token",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(bobsPublic))));
        assertThat(row("SELECT count(*) FROM bank.bank_connections WHERE integration_id = $1", integration)
                .getLong(0)).isZero();
    }

    @Test
    void anItemWhoseTokenCannotBeStoredIsRemovedAtPlaidAndNothingIsConnected() {
        String alice = user();
        UUID integration = integration(alice, "plaid", IntegrationCategory.AGGREGATOR);
        String publicToken = "public-sandbox-" + UUID.randomUUID();
        String accessToken = PlaidStubs.token();
        stubExchange(publicToken, accessToken, "item-" + UUID.randomUUID());
        plaid.stubFor(put(urlEqualTo("/internal/credentials/" + integration))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"title\":\"unavailable\",\"status\":503}")));
        plaid.stubFor(post(urlEqualTo("/item/remove")).willReturn(PlaidStubs.okJson("{\"request_id\":\"req-r\"}")));

        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body(Map.of("integrationId", integration.toString(), "publicToken", publicToken))
                .when().post("/api/bank/plaid/link/exchange")
                .then().statusCode(503).contentType(PROBLEM)
                .body(not(containsString(accessToken)));

        plaid.verify(postRequestedFor(urlEqualTo("/item/remove"))
                .withRequestBody(equalToJson("{\"access_token\":\"" + accessToken + "\"}")));
        assertThat(row("SELECT count(*) FROM bank.bank_connections WHERE integration_id = $1", integration)
                .getLong(0)).isZero();
    }

    private void stubExchange(String publicToken, String accessToken, String itemId) {
        plaid.stubFor(post(urlEqualTo("/item/public_token/exchange"))
                .withRequestBody(matchingJsonPath("$.public_token",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(publicToken)))
                .willReturn(PlaidStubs.okJson("{\"access_token\":\"" + accessToken + "\",\"item_id\":\"" + itemId
                        + "\",\"request_id\":\"req-e\"}")));
        plaid.stubFor(post(urlEqualTo("/accounts/get"))
                .withRequestBody(matchingJsonPath("$.access_token",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(accessToken)))
                .willReturn(PlaidStubs.okJson(PlaidStubs.accountsBody())));
    }

    /** An integration as integration-service announces it; this service learns its owner from the event. */
    private UUID integration(String userId, String provider, IntegrationCategory category) {
        UUID id = UUID.randomUUID();
        IntegrationEvent created = new IntegrationEvent(id, userId, provider, category, IntegrationEventType.CREATED,
                null, Instant.now());
        KafkaTopics.publish(Topics.INTEGRATION_EVENTS, id.toString(), EventCodec.toJson(created),
                KafkaTopics.cloudEventHeaders(UUID.randomUUID().toString(), EventType.INTEGRATION_EVENT.cloudEventType()));
        await().atMost(Duration.ofSeconds(30)).until(() -> row("SELECT count(*) FROM bank.integration_refs "
                + "WHERE integration_id = $1", id).getLong(0) == 1);
        plaid.stubFor(put(urlEqualTo("/internal/credentials/" + id))
                .withHeader("Authorization", matching("Bearer .+"))
                .willReturn(aResponse().withStatus(204)));
        return id;
    }

    private static String user() {
        return "user-" + UUID.randomUUID();
    }

    private Row row(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(10))
                .iterator().next();
    }
}
