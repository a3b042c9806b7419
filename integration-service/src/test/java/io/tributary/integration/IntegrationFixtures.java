package io.tributary.integration;

import io.restassured.http.ContentType;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.Topics;
import io.tributary.contracts.TributaryEvent;
import io.tributary.contracts.event.CredentialEvent;
import io.tributary.contracts.event.CredentialEventType;
import io.tributary.contracts.event.SyncState;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.testsupport.KafkaTopics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** What the other services would do, as the tests need it: events on the topics, calls to the API. */
public final class IntegrationFixtures {

    private IntegrationFixtures() {
    }

    public static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    public static String createIntegration(String user, String provider) {
        return given().auth().oauth2(TestTokens.user(user)).contentType(ContentType.JSON)
                .body(Map.of("name", provider + " " + UUID.randomUUID(), "provider", provider))
                .when().post("/api/integrations")
                .then().statusCode(201).extract().path("id");
    }

    /** oauth-service's word that the integration's credentials are stored: it becomes connected. */
    public static String publishCredentialEvent(String integrationId, CredentialEventType type) {
        return publish(Topics.CREDENTIAL_EVENTS, integrationId, new CredentialEvent(UUID.fromString(integrationId), type,
                Instant.now().plus(Duration.ofHours(1)), Instant.now()));
    }

    /** A connected integration whose first (full) sync job is pending; answers that job's id. */
    public static String connect(String user, String integrationId) {
        publishCredentialEvent(integrationId, CredentialEventType.AUTHORIZED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TestTokens.user(user))
                .when().get("/api/integrations/" + integrationId + "/sync-jobs")
                .then().statusCode(200).body("totalItems", equalTo(1)));
        return given().auth().oauth2(TestTokens.user(user))
                .when().get("/api/integrations/" + integrationId + "/sync-jobs")
                .then().extract().path("items[0].id");
    }

    public static SyncStatus report(String integrationId, String jobId, SyncState state, long added, long updated,
            String errorCode) {
        Instant startedAt = Instant.now().minusSeconds(30);
        boolean ended = state == SyncState.COMPLETED || state == SyncState.FAILED;
        return new SyncStatus(UUID.fromString(jobId), UUID.fromString(integrationId), state, added, updated, 0, 0,
                errorCode, errorCode == null ? null : "Provider said: " + errorCode, startedAt,
                ended ? Instant.now() : null);
    }

    public static String publishReport(SyncStatus report) {
        return publish(Topics.SYNC_STATUS, report.integrationId().toString(), report);
    }

    /** Publishes an event as a producing service would; answers its ce_id. */
    public static String publish(String topic, String key, TributaryEvent event) {
        String ceId = UUID.randomUUID().toString();
        publishWithId(topic, key, event, ceId);
        return ceId;
    }

    public static void publishWithId(String topic, String key, TributaryEvent event, String ceId) {
        KafkaTopics.publish(topic, key, EventCodec.toJson(event),
                KafkaTopics.cloudEventHeaders(ceId, EventType.of(event).cloudEventType()));
    }
}
