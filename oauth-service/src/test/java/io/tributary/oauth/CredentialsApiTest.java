package io.tributary.oauth;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.tributary.contracts.event.CredentialEventType;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.oauth.service.CredentialVault;
import io.tributary.oauth.service.KeyRotationService;
import io.tributary.oauth.support.OAuthFixtures;
import io.tributary.oauth.support.ProviderStubs;
import io.tributary.oauth.support.ProviderStubsTestResource;
import io.tributary.oauth.support.TestSecrets;
import io.tributary.testsupport.InfrastructureTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tributary.oauth.support.OAuthFixtures.count;
import static io.tributary.oauth.support.OAuthFixtures.insertOAuthCredential;
import static io.tributary.oauth.support.OAuthFixtures.integrationCreated;
import static io.tributary.oauth.support.OAuthFixtures.newUser;
import static io.tributary.oauth.support.OAuthFixtures.serviceToken;
import static io.tributary.oauth.support.OAuthFixtures.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(ProviderStubsTestResource.class)
class CredentialsApiTest {

    private static final String PROBLEM = "application/problem+json";

    @ProviderStubs
    WireMockServer provider;

    @Inject
    Pool pool;

    @Inject
    CredentialVault vault;

    @Inject
    KeyRotationService rotation;

    @ConfigProperty(name = "test.vault.old-keyset")
    String oldKeyset;

    @Test
    void shouldStoreAnApiKeyEncryptedWithoutEchoingIt() {
        String alice = newUser();
        UUID integration = integrationCreated(pool, alice, "yclients", IntegrationCategory.CRM);
        String apiKey = TestSecrets.newSecret("yclients-partner");
        String password = TestSecrets.newSecret("yclients-password");

        given().auth().oauth2(userToken(alice)).contentType(ContentType.JSON)
                .body(Map.of("apiKey", apiKey, "login", "owner@salon.example", "password", password))
                .when().put("/api/integrations/" + integration + "/credentials")
                .then().statusCode(204).body(not(containsString(apiKey)));

        OAuthFixtures.credentialEvent(integration, CredentialEventType.AUTHORIZED);
        String row = pool.preparedQuery("SELECT c::text FROM oauth.credentials c WHERE integration_id = $1")
                .execute(Tuple.of(integration)).await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
        assertThat(row).doesNotContain(apiKey).doesNotContain(password).doesNotContain("owner@salon.example");
        given().auth().oauth2(serviceToken("credentials:read")).when().get("/internal/credentials/" + integration)
                .then().statusCode(200)
                .body("kind", equalTo("api_key"))
                .body("secrets.apiKey", equalTo(apiKey))
                .body("secrets.login", equalTo("owner@salon.example"));
    }

    @Test
    void shouldRefuseApiKeysWhereTheyDoNotBelong() {
        String alice = newUser();
        UUID xero = integrationCreated(pool, alice, "xero", IntegrationCategory.ACCOUNTING);
        UUID iiko = integrationCreated(pool, alice, "iiko", IntegrationCategory.CRM);
        String key = TestSecrets.newSecret("key");

        given().auth().oauth2(userToken(alice)).contentType(ContentType.JSON).body(Map.of("apiKey", key))
                .when().put("/api/integrations/" + xero + "/credentials")
                .then().statusCode(422).contentType(PROBLEM).body(not(containsString(key)));
        given().auth().oauth2(userToken(newUser())).contentType(ContentType.JSON).body(Map.of("apiKey", key))
                .when().put("/api/integrations/" + iiko + "/credentials")
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(userToken(alice)).contentType(ContentType.JSON).body(Map.of())
                .when().put("/api/integrations/" + iiko + "/credentials")
                .then().statusCode(400).contentType(PROBLEM);
        assertThat(count(pool, "SELECT count(*) FROM oauth.credentials WHERE integration_id = $1", iiko)).isZero();
    }

    @Test
    void shouldLetAServiceStoreACredentialItObtainedOnlyWithTheWriteScope() {
        UUID integration = integrationCreated(pool, newUser(), "plaid", IntegrationCategory.AGGREGATOR);
        String plaidToken = TestSecrets.newSecret("access-sandbox");
        Map<String, Object> body = Map.of("kind", "plaid", "accessToken", plaidToken, "account", Map.of("itemId", "item-7"));

        given().auth().oauth2(serviceToken("credentials:read")).contentType(ContentType.JSON).body(body)
                .when().put("/internal/credentials/" + integration).then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(serviceToken("credentials:write")).contentType(ContentType.JSON)
                .body(Map.of("kind", "carrier-pigeon", "accessToken", "x"))
                .when().put("/internal/credentials/" + integration).then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(serviceToken("credentials:write")).contentType(ContentType.JSON).body(body)
                .when().put("/internal/credentials/" + integration).then().statusCode(204);

        OAuthFixtures.credentialEvent(integration, CredentialEventType.AUTHORIZED);
        given().auth().oauth2(serviceToken("credentials:read")).when().get("/internal/credentials/" + integration)
                .then().statusCode(200).body("accessToken", equalTo(plaidToken)).body("account.itemId", equalTo("item-7"));
    }

    @Test
    void shouldRevokeAtTheProviderAndForgetTheCredentialWhenTheIntegrationIsDeleted() {
        String alice = newUser();
        UUID integration = UUID.randomUUID();
        String refresh = TestSecrets.newSecret("qb-refresh");
        insertOAuthCredential(pool, vault, integration, alice, "quickbooks", TestSecrets.newSecret("qb-access"), refresh,
                OffsetDateTime.now().plusHours(1));
        provider.stubFor(post("/quickbooks/revoke").withRequestBody(equalToJson("{\"token\": \"" + refresh + "\"}"))
                .willReturn(ok()));

        OAuthFixtures.integrationDeleted(integration, alice, "quickbooks", IntegrationCategory.ACCOUNTING);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                count(pool, "SELECT count(*) FROM oauth.credentials WHERE integration_id = $1", integration) == 0);
        provider.verify(1, postRequestedFor(urlEqualTo("/quickbooks/revoke"))
                .withRequestBody(equalToJson("{\"token\": \"" + refresh + "\"}")));
        OAuthFixtures.credentialEvent(integration, CredentialEventType.REVOKED);
        given().auth().oauth2(serviceToken("credentials:read")).when().get("/internal/credentials/" + integration)
                .then().statusCode(404);
    }

    @Test
    void shouldReadRowsUnderAnOldKeyThenReencryptThemUnderThePrimary() throws Throwable {
        CredentialVault old = new CredentialVault(oldKeyset);
        assertThat(old.primaryKeyId()).isNotEqualTo(vault.primaryKeyId());
        assertThat(vault.keyIds()).contains(old.primaryKeyId(), vault.primaryKeyId());
        UUID integration = UUID.randomUUID();
        String access = TestSecrets.newSecret("qb-access");
        String refresh = TestSecrets.newSecret("qb-refresh");
        insertOAuthCredential(pool, old, integration, newUser(), "quickbooks", access, refresh,
                OffsetDateTime.now().plusHours(1));
        byte[] before = accessCiphertext(integration);
        assertThat(CredentialVault.keyIdOf(before)).isEqualTo(old.primaryKeyId());

        // still readable under the old key, before any re-encryption
        given().auth().oauth2(serviceToken("credentials:read")).when().get("/internal/credentials/" + integration)
                .then().statusCode(200).body("accessToken", equalTo(access));

        int moved = 0;
        for (int round = 0; round < 20 && keyIdOf(integration) != vault.primaryKeyId(); round++) {
            moved += VertxContextSupport.subscribeAndAwait(() -> rotation.reencryptBatch());
        }

        assertThat(moved).isPositive();
        assertThat(keyIdOf(integration)).isEqualTo(vault.primaryKeyId());
        byte[] after = accessCiphertext(integration);
        assertThat(after).isNotEqualTo(before);
        assertThat(CredentialVault.keyIdOf(after)).isEqualTo(vault.primaryKeyId());
        assertThat(vault.decrypt(after, integration, CredentialVault.Field.ACCESS_TOKEN)).isEqualTo(access);
        given().auth().oauth2(serviceToken("credentials:read")).when().get("/internal/credentials/" + integration)
                .then().statusCode(200).body("accessToken", equalTo(access));
        assertThat(count(pool, "SELECT count(*) FROM oauth.credentials WHERE key_id <> $1", vault.primaryKeyId())).isZero();
        VertxContextSupport.subscribeAndAwait(() -> rotation.refreshMeters());
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("integrations_vault_reencryption_pending 0.0"))
                .body(containsString("integrations_vault_ciphertexts{key_id=\"" + vault.primaryKeyId() + "\"}"));
    }

    @Test
    void shouldNotBeReadyWhileRowsNeedAKeyTheKeysetLacks() throws Exception {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body(containsString("vault keys"));
        var stranger = com.google.crypto.tink.KeysetHandle.generateNew(
                com.google.crypto.tink.aead.PredefinedAeadParameters.AES256_GCM);
        CredentialVault foreign = new CredentialVault(com.google.crypto.tink.TinkJsonProtoKeysetFormat.serializeKeyset(
                stranger, com.google.crypto.tink.InsecureSecretKeyAccess.get()));
        UUID integration = UUID.randomUUID();
        insertOAuthCredential(pool, foreign, integration, newUser(), "quickbooks", TestSecrets.newSecret("qb-access"),
                TestSecrets.newSecret("qb-refresh"), OffsetDateTime.now().plusHours(1));
        try {
            given().when().get("/q/health/ready").then().statusCode(503)
                    .body(containsString(Long.toString(foreign.primaryKeyId())));
        } finally {
            pool.preparedQuery("DELETE FROM oauth.credentials WHERE integration_id = $1").execute(Tuple.of(integration))
                    .await().atMost(Duration.ofSeconds(10));
        }
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    private byte[] accessCiphertext(UUID integration) {
        Row row = pool.preparedQuery("SELECT access_token FROM oauth.credentials WHERE integration_id = $1")
                .execute(Tuple.of(integration)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        return row.getBuffer("access_token").getBytes();
    }

    private long keyIdOf(UUID integration) {
        return pool.preparedQuery("SELECT key_id FROM oauth.credentials WHERE integration_id = $1")
                .execute(Tuple.of(integration)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
