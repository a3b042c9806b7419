package io.tributary.oauth;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.oauth.support.ProviderStubs;
import io.tributary.oauth.support.ProviderStubsTestResource;
import io.tributary.oauth.support.TestSecrets;
import io.tributary.testsupport.InfrastructureTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tributary.oauth.support.OAuthFixtures.count;
import static io.tributary.oauth.support.OAuthFixtures.integrationCreated;
import static io.tributary.oauth.support.OAuthFixtures.integrationDeleted;
import static io.tributary.oauth.support.OAuthFixtures.newUser;
import static io.tributary.oauth.support.OAuthFixtures.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * UK Open Banking (shared/providers.md 1.5): the account-access consent is created with a
 * client-credentials token before the user goes to the bank, named in a signed request object,
 * kept with the credential, and deleted at the bank when the integration is deleted.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(ProviderStubsTestResource.class)
class OpenBankingConsentTest {

    private static final String REDIRECT = "http://localhost:3000/oauth/callback";
    private static final String CONSENTS = "/hsbc/open-banking/v3.1/aisp/account-access-consents";

    @ProviderStubs
    WireMockServer provider;

    @Inject
    Pool pool;

    @Test
    void theConsentIsCreatedNamedInTheRequestObjectKeptAndDeletedWithTheIntegration() throws Exception {
        String tpp = TestSecrets.newSecret("tpp-token");
        String consentId = "urn-hsbc-intent-" + UUID.randomUUID();
        provider.stubFor(post("/hsbc/token").withRequestBody(containing("grant_type=client_credentials"))
                .withHeader("Authorization", containing("Basic "))
                .willReturn(okJson("{\"access_token\": \"" + tpp + "\", \"token_type\": \"Bearer\", "
                        + "\"expires_in\": 3600}")));
        StubMapping created = provider.stubFor(post(CONSENTS).withHeader("Authorization", equalTo("Bearer " + tpp))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"Data\": {\"ConsentId\": \"" + consentId + "\", \"Status\": "
                                + "\"AwaitingAuthorisation\", \"Permissions\": [\"ReadTransactionsDetail\"]}, "
                                + "\"Risk\": {}, \"Links\": {\"Self\": \"https://bank/consents\"}, \"Meta\": {}}")));

        String alice = newUser();
        UUID integration = integrationCreated(pool, alice, "hsbc", IntegrationCategory.BANK);
        Map<String, String> query = authorize(alice, integration);
        // one consent, asking for the configured permissions until the consent lifetime ends
        var consentRequests = provider.findAll(postRequestedFor(urlEqualTo(CONSENTS)));
        assertThat(consentRequests).hasSize(1);
        io.vertx.core.json.JsonObject consentRequest = new io.vertx.core.json.JsonObject(
                consentRequests.get(0).getBodyAsString());
        assertThat(consentRequest.getJsonObject("Data").getJsonArray("Permissions").getList())
                .contains("ReadAccountsDetail", "ReadBalances", "ReadTransactionsDetail");
        assertThat(java.time.Instant.parse(consentRequest.getJsonObject("Data").getString("ExpirationDateTime")))
                .isAfter(java.time.Instant.now().plus(Duration.ofDays(89)));
        assertThat(consentRequest.getJsonObject("Risk")).isNotNull();

        // the request object names the consent and carries the request, signed with the client secret
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(query.get("request"));
        jws.setKey(new HmacKey(ConfigProvider.getConfig().getValue("test.quickbooks.client-secret", String.class)
                .getBytes(StandardCharsets.UTF_8)));
        jws.setDoKeyValidation(false);
        assertThat(jws.verifySignature()).isTrue();
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertThat(claims.getStringClaimValue("client_id")).isEqualTo("hsbc-test-client");
        assertThat(claims.getStringClaimValue("state")).isEqualTo(query.get("state"));
        assertThat(claims.getStringClaimValue("redirect_uri")).isEqualTo(REDIRECT);
        assertThat(claims.getExpirationTime().getValue()).isGreaterThan(claims.getIssuedAt().getValue());
        assertThat(claims.getClaimValueAsString("claims")).contains("openbanking_intent_id").contains(consentId);
        assertThat(query.get("request")).doesNotContain(tpp);

        String access = TestSecrets.newSecret("hsbc-access");
        provider.stubFor(post("/hsbc/token").withRequestBody(containing("code=hsbc-code-" + integration))
                .willReturn(okJson("{\"access_token\": \"" + access + "\", \"refresh_token\": \""
                        + TestSecrets.newSecret("hsbc-refresh") + "\", \"expires_in\": 3600, \"token_type\": "
                        + "\"Bearer\"}")));
        given().auth().oauth2(userToken(alice)).contentType(ContentType.JSON)
                .body(Map.of("code", "hsbc-code-" + integration, "state", query.get("state")))
                .when().post("/api/integrations/oauth/token").then().statusCode(200);
        String kept = pool.preparedQuery("SELECT account->>'consentId' AS consent FROM oauth.credentials "
                        + "WHERE integration_id = $1").execute(Tuple.of(integration))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString("consent");
        assertThat(kept).isEqualTo(consentId);

        provider.stubFor(delete(CONSENTS + "/" + consentId).withHeader("Authorization", equalTo("Bearer " + tpp))
                .willReturn(aResponse().withStatus(204)));
        integrationDeleted(integration, alice, "hsbc", IntegrationCategory.BANK);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                provider.verify(1, deleteRequestedFor(urlEqualTo(CONSENTS + "/" + consentId))));
        await().atMost(Duration.ofSeconds(10)).until(() -> count(pool,
                "SELECT count(*) FROM oauth.credentials WHERE integration_id = $1", integration) == 0);
        provider.removeStub(created);
    }

    @Test
    void aBankThatCannotCreateTheConsentSendsNobodyToTheBankAndKeepsNoState() {
        provider.stubFor(post("/hsbc/token").withRequestBody(containing("grant_type=client_credentials"))
                .willReturn(okJson("{\"access_token\": \"" + TestSecrets.newSecret("tpp") + "\", "
                        + "\"token_type\": \"Bearer\", \"expires_in\": 3600}")));
        StubMapping failing = provider.stubFor(post(CONSENTS).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "5")));
        try {
            String alice = newUser();
            UUID integration = integrationCreated(pool, alice, "hsbc", IntegrationCategory.BANK);
            given().auth().oauth2(userToken(alice)).contentType(ContentType.JSON)
                    .body(Map.of("integrationId", integration.toString(), "redirectUri", REDIRECT))
                    .when().post("/api/integrations/oauth/authorize").then().statusCode(503)
                    .contentType("application/problem+json");
            assertThat(count(pool, "SELECT count(*) FROM oauth.oauth_states WHERE integration_id = $1", integration))
                    .isZero();
        } finally {
            provider.removeStub(failing);
        }
    }

    private static Map<String, String> authorize(String user, UUID integration) {
        String url = given().auth().oauth2(userToken(user)).contentType(ContentType.JSON)
                .body(Map.of("integrationId", integration.toString(), "redirectUri", REDIRECT))
                .when().post("/api/integrations/oauth/authorize").then().statusCode(200)
                .extract().path("authorizationUrl");
        assertThat(url).startsWith("https://hsbc.ob.test/authorize?");
        return Arrays.stream(URI.create(url).getRawQuery().split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }
}
