package io.tributary.oauth;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.tributary.contracts.event.CredentialEventType;
import io.tributary.oauth.service.CredentialVault;
import io.tributary.oauth.support.OAuthFixtures;
import io.tributary.oauth.support.ProviderStubs;
import io.tributary.oauth.support.ProviderStubsTestResource;
import io.tributary.oauth.support.TestSecrets;
import io.tributary.testsupport.InfrastructureTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tributary.oauth.support.OAuthFixtures.insertOAuthCredential;
import static io.tributary.oauth.support.OAuthFixtures.newUser;
import static io.tributary.oauth.support.OAuthFixtures.serviceToken;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(ProviderStubsTestResource.class)
class RefreshTest {

    private static final String PROBLEM = "application/problem+json";

    @ProviderStubs
    WireMockServer provider;

    @Inject
    Pool pool;

    @Inject
    CredentialVault vault;

    @Test
    void shouldRefreshOnceForFiftyConcurrentRequestsAndKeepTheRotatedRefreshToken() throws Exception {
        UUID integration = UUID.randomUUID();
        String oldRefresh = TestSecrets.newSecret("qb-refresh");
        insertOAuthCredential(pool, vault, integration, newUser(), "quickbooks", TestSecrets.newSecret("qb-access"),
                oldRefresh, OffsetDateTime.now().plusMinutes(1)); // inside the 5-minute skew
        String newAccess = TestSecrets.newSecret("qb-access");
        String rotatedRefresh = TestSecrets.newSecret("qb-refresh");
        provider.stubFor(post("/quickbooks/token").withRequestBody(containing("refresh_token=" + oldRefresh))
                .willReturn(okJson(AuthorizationFlowTest.tokens(newAccess, rotatedRefresh, 3600))
                        .withFixedDelay(300)));

        ExecutorService callers = Executors.newFixedThreadPool(50);
        List<Callable<String>> requests = new ArrayList<>();
        String token = serviceToken("credentials:read");
        for (int i = 0; i < 50; i++) {
            requests.add(() -> given().auth().oauth2(token).when().get("/internal/credentials/" + integration)
                    .then().statusCode(200).extract().path("accessToken"));
        }
        List<String> handedOut = new ArrayList<>();
        for (Future<String> answer : callers.invokeAll(requests)) {
            handedOut.add(answer.get());
        }
        callers.shutdown();

        assertThat(handedOut).hasSize(50).containsOnly(newAccess);
        provider.verify(1, postRequestedFor(urlEqualTo("/quickbooks/token"))
                .withRequestBody(containing("grant_type=refresh_token")).withRequestBody(containing(oldRefresh)));
        Row stored = pool.preparedQuery("SELECT refresh_token, state FROM oauth.credentials WHERE integration_id = $1")
                .execute(Tuple.of(integration)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(vault.decrypt(stored.getBuffer("refresh_token").getBytes(), integration,
                CredentialVault.Field.REFRESH_TOKEN)).isEqualTo(rotatedRefresh);
        assertThat(stored.getString("state")).isEqualTo("active");
        OAuthFixtures.credentialEvent(integration, CredentialEventType.REFRESHED);
    }

    @Test
    void shouldMarkADeadRefreshTokenAndAnnounceReauthorization() {
        UUID integration = UUID.randomUUID();
        String refresh = TestSecrets.newSecret("qb-refresh");
        insertOAuthCredential(pool, vault, integration, newUser(), "quickbooks", TestSecrets.newSecret("qb-access"),
                refresh, OffsetDateTime.now().minusMinutes(1));
        provider.stubFor(post("/quickbooks/token").withRequestBody(containing("refresh_token=" + refresh))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": \"invalid_grant\"}")));

        given().auth().oauth2(serviceToken("credentials:read")).when().get("/internal/credentials/" + integration)
                .then().statusCode(409).contentType(PROBLEM);

        OAuthFixtures.credentialEvent(integration, CredentialEventType.REAUTH_REQUIRED);
        assertThat(state(integration)).isEqualTo("reauth_required");
        provider.verify(1, postRequestedFor(urlEqualTo("/quickbooks/token")).withRequestBody(containing(refresh)));
    }

    @Test
    void shouldRetryAProviderOutageAndStayConnected() {
        UUID integration = UUID.randomUUID();
        String refresh = TestSecrets.newSecret("qb-refresh");
        String newAccess = TestSecrets.newSecret("qb-access");
        insertOAuthCredential(pool, vault, integration, newUser(), "quickbooks", TestSecrets.newSecret("qb-access"),
                refresh, OffsetDateTime.now().minusMinutes(1));
        String scenario = "outage-" + integration;
        provider.stubFor(post("/quickbooks/token").withRequestBody(containing("refresh_token=" + refresh))
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        provider.stubFor(post("/quickbooks/token").withRequestBody(containing("refresh_token=" + refresh))
                .inScenario(scenario).whenScenarioStateIs("recovered")
                .willReturn(okJson(AuthorizationFlowTest.tokens(newAccess, refresh, 3600))));

        given().auth().oauth2(serviceToken("credentials:read")).when().get("/internal/credentials/" + integration)
                .then().statusCode(200)
                .body("accessToken", org.hamcrest.Matchers.equalTo(newAccess))
                .body("account.realmId", org.hamcrest.Matchers.equalTo("4620816365"));

        provider.verify(2, postRequestedFor(urlEqualTo("/quickbooks/token")).withRequestBody(containing(refresh)));
        assertThat(state(integration)).isEqualTo("active");
    }

    @Test
    void shouldNotKillACredentialWhileTheProviderStaysDown() {
        UUID integration = UUID.randomUUID();
        String refresh = TestSecrets.newSecret("qb-refresh");
        insertOAuthCredential(pool, vault, integration, newUser(), "quickbooks", TestSecrets.newSecret("qb-access"),
                refresh, OffsetDateTime.now().minusMinutes(1));
        provider.stubFor(post("/quickbooks/token").withRequestBody(containing("refresh_token=" + refresh))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "30")));

        given().auth().oauth2(serviceToken("credentials:read")).when().get("/internal/credentials/" + integration)
                .then().statusCode(503).contentType(PROBLEM);

        assertThat(state(integration)).isEqualTo("active");
        provider.verify(3, postRequestedFor(urlEqualTo("/quickbooks/token")).withRequestBody(containing(refresh)));
    }

    @Test
    void shouldStopCallingAProviderThatKeepsFailing() {
        provider.stubFor(post("/paypal/token").willReturn(aResponse().withStatus(502)));
        String token = serviceToken("credentials:read");
        for (int i = 0; i < 4; i++) {
            UUID integration = UUID.randomUUID();
            insertOAuthCredential(pool, vault, integration, newUser(), "paypal", TestSecrets.newSecret("pp-access"),
                    TestSecrets.newSecret("pp-refresh"), OffsetDateTime.now().minusMinutes(1));
            given().auth().oauth2(token).when().get("/internal/credentials/" + integration).then().statusCode(503);
        }
        int callsWhileFailing = provider.findAll(postRequestedFor(urlEqualTo("/paypal/token"))).size();
        // 4 requests x (1 call + 2 retries), less what the breaker already held back once its window of 10 failed
        assertThat(callsWhileFailing).isBetween(10, 12);

        UUID next = UUID.randomUUID();
        insertOAuthCredential(pool, vault, next, newUser(), "paypal", TestSecrets.newSecret("pp-access"),
                TestSecrets.newSecret("pp-refresh"), OffsetDateTime.now().minusMinutes(1));
        given().auth().oauth2(token).when().get("/internal/credentials/" + next)
                .then().statusCode(503).contentType(PROBLEM);

        assertThat(provider.findAll(postRequestedFor(urlEqualTo("/paypal/token")))).hasSize(callsWhileFailing);
        assertThat(state(next)).isEqualTo("active");
    }

    private String state(UUID integration) {
        return pool.preparedQuery("SELECT state FROM oauth.credentials WHERE integration_id = $1")
                .execute(Tuple.of(integration)).await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }
}
