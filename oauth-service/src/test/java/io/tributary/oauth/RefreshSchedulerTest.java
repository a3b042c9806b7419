package io.tributary.oauth;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.CredentialEvent;
import io.tributary.contracts.event.CredentialEventType;
import io.tributary.oauth.service.CredentialVault;
import io.tributary.oauth.service.RefreshScheduler;
import io.tributary.oauth.support.OAuthFixtures;
import io.tributary.oauth.support.ProviderStubs;
import io.tributary.oauth.support.ProviderStubsTestResource;
import io.tributary.oauth.support.TestSecrets;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tributary.oauth.support.OAuthFixtures.insertOAuthCredential;
import static io.tributary.oauth.support.OAuthFixtures.newUser;
import static io.tributary.oauth.support.OAuthFixtures.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(ProviderStubsTestResource.class)
class RefreshSchedulerTest {

    @ProviderStubs
    WireMockServer provider;

    @Inject
    Pool pool;

    @Inject
    CredentialVault vault;

    @Inject
    RefreshScheduler scheduler;

    @Test
    void shouldRefreshTokensExpiringWithinTheWindowWhenAnAdminAsks() {
        UUID soon = UUID.randomUUID();
        UUID later = UUID.randomUUID();
        String soonRefresh = TestSecrets.newSecret("qb-refresh");
        String laterRefresh = TestSecrets.newSecret("qb-refresh");
        // Xero: other tests break quickbooks' and amocrm's circuit breakers on purpose
        insertOAuthCredential(pool, vault, soon, newUser(), "xero", TestSecrets.newSecret("xero-access"), soonRefresh,
                OffsetDateTime.now().plusMinutes(10));
        insertOAuthCredential(pool, vault, later, newUser(), "xero", TestSecrets.newSecret("xero-access"),
                laterRefresh, OffsetDateTime.now().plusHours(2));
        provider.stubFor(post("/xero/token").withRequestBody(containing("refresh_token=" + soonRefresh))
                .willReturn(okJson(AuthorizationFlowTest.tokens(TestSecrets.newSecret("xero-access"), soonRefresh, 3600))));

        given().auth().oauth2(userToken(newUser())).when().post("/api/integrations/refresh-expired-tokens")
                .then().statusCode(403);
        given().auth().oauth2(adminToken()).when().post("/api/integrations/refresh-expired-tokens")
                .then().statusCode(200).body("refreshed", greaterThanOrEqualTo(1));

        provider.verify(1, postRequestedFor(urlEqualTo("/xero/token")).withRequestBody(containing(soonRefresh)));
        provider.verify(0, postRequestedFor(urlEqualTo("/xero/token")).withRequestBody(containing(laterRefresh)));
        assertThat(expiresAt(soon)).isAfter(OffsetDateTime.now().plusMinutes(50));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("integrations_token_refreshes_total{outcome=\"refreshed\",provider=\"xero\"}"))
                .body(containsString("integrations_token_refresh_duration_seconds_count{provider=\"xero\"}"));
    }

    @Test
    void shouldWarnOnceBeforeAConsentRunsOut() throws Throwable {
        UUID integration = UUID.randomUUID();
        insertOAuthCredential(pool, vault, integration, newUser(), "hsbc", TestSecrets.newSecret("ob-access"),
                TestSecrets.newSecret("ob-refresh"), OffsetDateTime.now().plusHours(1));
        pool.preparedQuery("UPDATE oauth.credentials SET consent_expires_at = now() + interval '3 days' "
                + "WHERE integration_id = $1").execute(Tuple.of(integration)).await().atMost(Duration.ofSeconds(10));

        int first = VertxContextSupport.subscribeAndAwait(() -> scheduler.forecastExpiries());
        int second = VertxContextSupport.subscribeAndAwait(() -> scheduler.forecastExpiries());

        assertThat(first).isGreaterThanOrEqualTo(1);
        assertThat(second).isZero();
        CredentialEvent warning = OAuthFixtures.credentialEvent(integration, CredentialEventType.EXPIRING_SOON);
        assertThat(warning.expiresAt()).isBetween(java.time.Instant.now().plus(Duration.ofDays(2)),
                java.time.Instant.now().plus(Duration.ofDays(4)));
        assertThat(KafkaTopics.readAll(Topics.CREDENTIAL_EVENTS, Duration.ofSeconds(1)).stream()
                .filter(record -> record.key().equals(integration.toString()))
                .map(record -> EventCodec.fromJson(record.value(), CredentialEvent.class).type())
                .filter(type -> type == CredentialEventType.EXPIRING_SOON)).hasSize(1);
    }

    @Test
    void shouldRefreshNowWhenTheOwnerAsks() {
        String alice = newUser();
        UUID integration = UUID.randomUUID();
        String refresh = TestSecrets.newSecret("qb-refresh");
        insertOAuthCredential(pool, vault, integration, alice, "xero", TestSecrets.newSecret("xero-access"), refresh,
                OffsetDateTime.now().plusHours(1));
        provider.stubFor(post("/xero/token").withRequestBody(containing("refresh_token=" + refresh))
                .willReturn(okJson(AuthorizationFlowTest.tokens(TestSecrets.newSecret("xero-access"), refresh, 7200))));

        given().auth().oauth2(userToken(newUser())).when().post("/api/integrations/" + integration + "/oauth/refresh")
                .then().statusCode(404);
        given().auth().oauth2(userToken(alice)).when().post("/api/integrations/" + integration + "/oauth/refresh")
                .then().statusCode(200).body("expiresAt", notNullValue());

        assertThat(expiresAt(integration)).isAfter(OffsetDateTime.now().plusMinutes(110));
    }

    private OffsetDateTime expiresAt(UUID integration) {
        return pool.preparedQuery("SELECT expires_at FROM oauth.credentials WHERE integration_id = $1")
                .execute(Tuple.of(integration)).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getOffsetDateTime(0);
    }

    private static String adminToken() {
        return io.smallrye.jwt.build.Jwt.subject("operator-" + UUID.randomUUID())
                .groups(java.util.Set.of("user", "admin")).issuer("https://server.example.com")
                .jws().keyId("1").sign("privateKey.jwk");
    }
}
