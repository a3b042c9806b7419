package io.tributary.oauth;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Parameters;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.tributary.contracts.event.CredentialEventType;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.oauth.service.CredentialVault;
import io.tributary.oauth.support.OAuthFixtures;
import io.tributary.oauth.support.PkceVerifierMatcher;
import io.tributary.oauth.support.ProviderStubs;
import io.tributary.oauth.support.ProviderStubsTestResource;
import io.tributary.oauth.support.TestSecrets;
import io.tributary.testsupport.InfrastructureTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
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
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tributary.oauth.support.OAuthFixtures.count;
import static io.tributary.oauth.support.OAuthFixtures.integrationCreated;
import static io.tributary.oauth.support.OAuthFixtures.newUser;
import static io.tributary.oauth.support.OAuthFixtures.serviceToken;
import static io.tributary.oauth.support.OAuthFixtures.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(ProviderStubsTestResource.class)
class AuthorizationFlowTest {

    private static final String REDIRECT = "http://localhost:3000/oauth/callback";
    private static final String PROBLEM = "application/problem+json";

    @ProviderStubs
    WireMockServer provider;

    @Inject
    Pool pool;

    @Inject
    CredentialVault vault;

    @Test
    void shouldConnectXeroWithPkceAndStoreTheTokensEncrypted() {
        String alice = newUser();
        UUID integration = integrationCreated(pool, alice, "xero", IntegrationCategory.ACCOUNTING);
        Map<String, String> query = authorize(alice, integration);

        assertThat(query).containsEntry("client_id", "xero-test-client").containsEntry("redirect_uri", REDIRECT)
                .containsEntry("code_challenge_method", "S256").containsEntry("response_type", "code");
        assertThat(query.get("state")).hasSizeGreaterThanOrEqualTo(43); // 256 random bits, base64url
        assertThat(query.get("scope")).contains("offline_access");
        String access = TestSecrets.newSecret("xero-access");
        String refresh = TestSecrets.newSecret("xero-refresh");
        String tenant = UUID.randomUUID().toString();
        String unexpected = TestSecrets.newSecret("unexpected");
        provider.stubFor(post("/xero/token")
                .andMatching(PkceVerifierMatcher.NAME, Parameters.one("challenge", query.get("code_challenge")))
                .withRequestBody(containing("code=code-for-" + integration))
                .withHeader("Authorization", containing("Basic "))
                .willReturn(okJson(tokens(access, refresh, 1800).replace("}",
                        ", \"session_secret\": \"" + unexpected + "\"}"))));
        provider.stubFor(get("/xero/connections").withHeader("Authorization", equalTo("Bearer " + access))
                .willReturn(okJson("[{\"id\": \"" + UUID.randomUUID() + "\", \"tenantId\": \"" + tenant
                        + "\", \"tenantType\": \"ORGANISATION\", \"tenantName\": \"Demo Ltd\"}]")));

        given().auth().oauth2(userToken(alice)).contentType(ContentType.JSON)
                .body(Map.of("code", "code-for-" + integration, "state", query.get("state")))
                .when().post("/api/integrations/oauth/token")
                .then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("connected"))
                .body(not(containsString(access))).body(not(containsString(refresh)));

        assertThat(OAuthFixtures.credentialEvent(integration, CredentialEventType.AUTHORIZED).expiresAt()).isNotNull();
        Row stored = pool.preparedQuery("SELECT access_token, refresh_token, key_id, account->>'tenantId' AS tenant, "
                        + "c::text AS whole_row FROM oauth.credentials c WHERE integration_id = $1")
                .execute(Tuple.of(integration)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(stored.getString("whole_row")).doesNotContain(access).doesNotContain(refresh).doesNotContain(unexpected);
        byte[] ciphertext = stored.getBuffer("access_token").getBytes();
        assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain(access);
        assertThat(vault.decrypt(ciphertext, integration, CredentialVault.Field.ACCESS_TOKEN)).isEqualTo(access);
        assertThat(stored.getLong("key_id")).isEqualTo(vault.primaryKeyId());
        assertThat(stored.getString("tenant")).isEqualTo(tenant);

        // the credential, usable by the sync services
        given().auth().oauth2(serviceToken("credentials:read"))
                .when().get("/internal/credentials/" + integration)
                .then().statusCode(200)
                .body("accessToken", org.hamcrest.Matchers.equalTo(access))
                .body("kind", org.hamcrest.Matchers.equalTo("oauth2"))
                .body("account.tenantId", org.hamcrest.Matchers.equalTo(tenant));
    }

    @Test
    void shouldBindEveryCiphertextToItsIntegrationAndColumn() {
        UUID owner = UUID.randomUUID();
        byte[] ciphertext = vault.encrypt("not-for-anyone-else", owner, CredentialVault.Field.ACCESS_TOKEN);

        assertThat(vault.decrypt(ciphertext, owner, CredentialVault.Field.ACCESS_TOKEN)).isEqualTo("not-for-anyone-else");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> vault.decrypt(ciphertext, UUID.randomUUID(), CredentialVault.Field.ACCESS_TOKEN))
                .isInstanceOf(CredentialVault.VaultException.class).hasMessageNotContaining("not-for-anyone-else");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> vault.decrypt(ciphertext, owner, CredentialVault.Field.REFRESH_TOKEN))
                .isInstanceOf(CredentialVault.VaultException.class);
    }

    @Test
    void shouldRefuseEveryBadStateAndStoreNothing() {
        String alice = newUser();
        UUID integration = integrationCreated(pool, alice, "xero", IntegrationCategory.ACCOUNTING);
        String access = TestSecrets.newSecret("xero-access");
        provider.stubFor(post("/xero/token").withRequestBody(containing("code=good-" + integration))
                .willReturn(okJson(tokens(access, TestSecrets.newSecret("xero-refresh"), 1800))));
        provider.stubFor(get("/xero/connections").willReturn(okJson("[]")));

        // unknown
        exchange(alice, "good-" + integration, "never-issued-" + UUID.randomUUID()).statusCode(400).contentType(PROBLEM);
        // another user's
        String state = authorize(alice, integration).get("state");
        exchange(newUser(), "good-" + integration, state).statusCode(400).contentType(PROBLEM);
        // expired
        String expiring = authorize(alice, integration).get("state");
        pool.query("UPDATE oauth.oauth_states SET expires_at = now() - interval '1 second' WHERE used_at IS NULL "
                + "AND integration_id = '" + integration + "'").execute().await().atMost(Duration.ofSeconds(10));
        exchange(alice, "good-" + integration, expiring).statusCode(400).contentType(PROBLEM);
        assertThat(count(pool, "SELECT count(*) FROM oauth.credentials WHERE integration_id = $1", integration)).isZero();

        // a good one works once, then never again
        String fresh = authorize(alice, integration).get("state");
        exchange(alice, "good-" + integration, fresh).statusCode(200);
        exchange(alice, "good-" + integration, fresh).statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("state"));
        provider.verify(1, postRequestedFor(urlEqualTo("/xero/token")).withRequestBody(containing("good-" + integration)));
    }

    @Test
    void shouldStoreNothingWhenTheProviderRefusesTheCode() {
        String alice = newUser();
        UUID integration = integrationCreated(pool, alice, "xero", IntegrationCategory.ACCOUNTING);
        provider.stubFor(post("/xero/token").withRequestBody(containing("code=revoked-" + integration))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": \"invalid_grant\", \"error_description\": \"code revoked-" + integration + "\"}")));

        exchange(alice, "revoked-" + integration, authorize(alice, integration).get("state"))
                .statusCode(400).contentType(PROBLEM).body(not(containsString("revoked-" + integration)));

        assertThat(count(pool, "SELECT count(*) FROM oauth.credentials WHERE integration_id = $1", integration)).isZero();
    }

    @Test
    void shouldRefuseUnregisteredRedirectsUnconfiguredProvidersAndOtherUsersIntegrations() {
        String alice = newUser();
        UUID xero = integrationCreated(pool, alice, "xero", IntegrationCategory.ACCOUNTING);
        UUID ynab = integrationCreated(pool, alice, "ynab", IntegrationCategory.AGGREGATOR);
        UUID yclients = integrationCreated(pool, alice, "yclients", IntegrationCategory.CRM);

        authorizeRequest(alice, xero, "https://evil.example/steal").statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("redirectUri"));
        authorizeRequest(alice, ynab, REDIRECT).statusCode(422).contentType(PROBLEM)
                .body("detail", containsString("not configured"));
        authorizeRequest(alice, yclients, REDIRECT).statusCode(422).contentType(PROBLEM);
        authorizeRequest(newUser(), xero, REDIRECT).statusCode(404).contentType(PROBLEM);
        authorizeRequest(alice, UUID.randomUUID(), REDIRECT).statusCode(404).contentType(PROBLEM);
        given().contentType(ContentType.JSON).body(Map.of("integrationId", xero, "redirectUri", REDIRECT))
                .when().post("/api/integrations/oauth/authorize").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void shouldHandOutCredentialsOnlyToServicesWithTheReadScope() {
        UUID unknown = UUID.randomUUID();
        given().when().get("/internal/credentials/" + unknown).then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2(serviceToken("profile")).when().get("/internal/credentials/" + unknown)
                .then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(userToken(newUser())).when().get("/internal/credentials/" + unknown)
                .then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(serviceToken("credentials:read")).when().get("/internal/credentials/" + unknown)
                .then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void shouldExchangeAmoCrmCodesAtTheAccountsOwnDomainAndRefuseAForgedOne() {
        String alice = newUser();
        UUID integration = integrationCreated(pool, alice, "amocrm", IntegrationCategory.CRM);
        String access = TestSecrets.newSecret("amo-access");
        provider.stubFor(post("/amocrm/acme.amocrm.ru/access_token").withRequestBody(containing("code=amo-" + integration))
                .withRequestBody(containing("client_secret="))
                .willReturn(okJson(tokens(access, TestSecrets.newSecret("amo-refresh"), 86400))));

        given().auth().oauth2(userToken(alice)).contentType(ContentType.JSON)
                .body(Map.of("code", "amo-" + integration, "state", state(alice, integration),
                        "parameters", Map.of("referer", "evil.example")))
                .when().post("/api/integrations/oauth/token")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("parameters.referer"));
        given().auth().oauth2(userToken(alice)).contentType(ContentType.JSON)
                .body(Map.of("code", "amo-" + integration, "state", state(alice, integration),
                        "parameters", Map.of("referer", "acme.amocrm.ru")))
                .when().post("/api/integrations/oauth/token")
                .then().statusCode(200);

        provider.verify(1, postRequestedFor(urlEqualTo("/amocrm/acme.amocrm.ru/access_token")));
        given().auth().oauth2(serviceToken("credentials:read")).when().get("/internal/credentials/" + integration)
                .then().statusCode(200).body("account.referer", org.hamcrest.Matchers.equalTo("acme.amocrm.ru"));
    }

    @Test
    void shouldKeepQuickBooksRealmIdAndDropUnlistedCallbackParameters() {
        String alice = newUser();
        UUID integration = integrationCreated(pool, alice, "quickbooks", IntegrationCategory.ACCOUNTING);
        provider.stubFor(post("/quickbooks/token").withRequestBody(containing("code=qb-" + integration))
                .willReturn(okJson(tokens(TestSecrets.newSecret("qb-access"), TestSecrets.newSecret("qb-refresh"), 3600))));

        given().auth().oauth2(userToken(alice)).contentType(ContentType.JSON)
                .body(Map.of("code", "qb-" + integration, "state", state(alice, integration),
                        "parameters", Map.of("realmId", "4620816365", "injected", "please-store-me")))
                .when().post("/api/integrations/oauth/token")
                .then().statusCode(200);

        given().auth().oauth2(serviceToken("credentials:read")).when().get("/internal/credentials/" + integration)
                .then().statusCode(200)
                .body("account.realmId", org.hamcrest.Matchers.equalTo("4620816365"))
                .body("account.injected", org.hamcrest.Matchers.nullValue());
    }

    private static String state(String user, UUID integration) {
        String url = authorizeRequest(user, integration, REDIRECT).statusCode(200).extract().path("authorizationUrl");
        return Arrays.stream(URI.create(url).getRawQuery().split("&"))
                .filter(pair -> pair.startsWith("state="))
                .map(pair -> URLDecoder.decode(pair.substring("state=".length()), StandardCharsets.UTF_8))
                .findFirst().orElseThrow();
    }

    private Map<String, String> authorize(String user, UUID integration) {
        String url = authorizeRequest(user, integration, REDIRECT).statusCode(200).extract().path("authorizationUrl");
        assertThat(url).startsWith("https://login.xero.test/authorize?");
        return Arrays.stream(URI.create(url).getRawQuery().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }

    private static io.restassured.response.ValidatableResponse authorizeRequest(String user, UUID integration,
            String redirect) {
        return given().auth().oauth2(userToken(user)).contentType(ContentType.JSON)
                .body(Map.of("integrationId", integration.toString(), "redirectUri", redirect))
                .when().post("/api/integrations/oauth/authorize").then();
    }

    private static io.restassured.response.ValidatableResponse exchange(String user, String code, String state) {
        return given().auth().oauth2(userToken(user)).contentType(ContentType.JSON)
                .body(Map.of("code", code, "state", state))
                .when().post("/api/integrations/oauth/token").then();
    }

    static String tokens(String access, String refresh, int expiresIn) {
        return "{\"access_token\": \"" + access + "\", \"refresh_token\": \"" + refresh + "\", \"expires_in\": "
                + expiresIn + ", \"token_type\": \"Bearer\", \"scope\": \"offline_access accounting.transactions.read\"}";
    }
}
