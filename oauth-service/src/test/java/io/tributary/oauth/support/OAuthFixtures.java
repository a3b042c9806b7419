package io.tributary.oauth.support;

import io.smallrye.jwt.build.Jwt;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.CredentialEvent;
import io.tributary.contracts.event.CredentialEventType;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.testsupport.TopicRecord;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What integration-service and the calling services would do, for the tests. */
public final class OAuthFixtures {

    private OAuthFixtures() {
    }

    public static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    /** A user's bearer token (sub = user), signed with the test identity provider's key. */
    public static String userToken(String user) {
        return Jwt.subject(user).groups(Set.of("user")).issuer("https://server.example.com")
                .jws().keyId("1").sign("privateKey.jwk");
    }

    /** A client-credentials token of another service, with these scopes. */
    public static String serviceToken(String... scopes) {
        return Jwt.subject("service-" + UUID.randomUUID()).claim("scope", String.join(" ", scopes))
                .issuer("https://server.example.com").jws().keyId("1").sign("privateKey.jwk");
    }

    /** integration-service announces an integration; waits until this service knows it. */
    public static UUID integrationCreated(Pool pool, String user, String provider, IntegrationCategory category) {
        UUID id = UUID.randomUUID();
        publish(new IntegrationEvent(id, user, provider, category, IntegrationEventType.CREATED, null, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(pool,
                "SELECT count(*) FROM oauth.integration_refs WHERE integration_id = $1", id) == 1);
        return id;
    }

    public static void integrationDeleted(UUID id, String user, String provider, IntegrationCategory category) {
        publish(new IntegrationEvent(id, user, provider, category, IntegrationEventType.DELETED, null, Instant.now()));
    }

    private static void publish(IntegrationEvent event) {
        KafkaTopics.publish(Topics.INTEGRATION_EVENTS, event.integrationId().toString(), EventCodec.toJson(event),
                KafkaTopics.cloudEventHeaders(UUID.randomUUID().toString(), EventType.INTEGRATION_EVENT.cloudEventType()));
    }

    /** The credential event of this type that oauth-service published for the integration. */
    public static CredentialEvent credentialEvent(UUID integrationId, CredentialEventType type) {
        List<TopicRecord> records = KafkaTopics.read(Topics.CREDENTIAL_EVENTS, 1,
                record -> record.key().equals(integrationId.toString())
                        && EventCodec.fromJson(record.value(), CredentialEvent.class).type() == type,
                Duration.ofSeconds(30));
        assertThat(records).as(type + " for " + integrationId).hasSize(1);
        return EventCodec.fromJson(records.get(0).value(), CredentialEvent.class);
    }

    /** An OAuth credential as a completed authorization would have left it, encrypted with {@code vault}. */
    public static void insertOAuthCredential(Pool pool, io.tributary.oauth.service.CredentialVault vault,
            UUID integration, String user, String provider, String access, String refresh,
            java.time.OffsetDateTime expiresAt) {
        pool.preparedQuery("INSERT INTO oauth.integration_refs (integration_id, user_id, provider, category, active, "
                        + "updated_at) VALUES ($1, $2, $3, 'accounting', true, now())")
                .execute(Tuple.of(integration, user, provider)).await().atMost(Duration.ofSeconds(10));
        pool.preparedQuery("INSERT INTO oauth.credentials (integration_id, user_id, provider, kind, state, access_token, "
                        + "refresh_token, token_type, expires_at, account, key_id, created_at, updated_at) "
                        + "VALUES ($1, $2, $3, 'oauth2', 'active', $4, $5, 'Bearer', $6, '{\"realmId\": \"4620816365\"}', $7, now(), now())")
                .execute(Tuple.tuple().addUUID(integration).addString(user).addString(provider)
                        .addBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(
                                vault.encrypt(access, integration, io.tributary.oauth.service.CredentialVault.Field.ACCESS_TOKEN)))
                        .addBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(
                                vault.encrypt(refresh, integration, io.tributary.oauth.service.CredentialVault.Field.REFRESH_TOKEN)))
                        .addOffsetDateTime(expiresAt).addLong(vault.primaryKeyId()))
                .await().atMost(Duration.ofSeconds(10));
    }

    public static long count(Pool pool, String sql, Object parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }
}
