package io.tributary.integration.messaging;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.CredentialEventType;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.SyncRequested;
import io.tributary.contracts.event.SyncState;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.integration.TestTokens;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.testsupport.TopicRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static io.tributary.integration.IntegrationFixtures.connect;
import static io.tributary.integration.IntegrationFixtures.createIntegration;
import static io.tributary.integration.IntegrationFixtures.newUser;
import static io.tributary.integration.IntegrationFixtures.publishCredentialEvent;
import static io.tributary.integration.IntegrationFixtures.publishReport;
import static io.tributary.integration.IntegrationFixtures.publishWithId;
import static io.tributary.integration.IntegrationFixtures.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
class SyncFlowTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void shouldRefuseASyncOfAnIntegrationThatIsNotConnected() {
        String alice = newUser();
        String id = createIntegration(alice, "hsbc");

        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/integrations/" + id + "/sync")
                .then().statusCode(422).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.containsString("disconnected"));
        given().auth().oauth2(TestTokens.user(alice)).when().post("/api/integrations/" + id + "/test")
                .then().statusCode(422).contentType(PROBLEM);
    }

    @Test
    void shouldConnectOnAuthorizationAndRequestAFirstFullSync() {
        String alice = newUser();
        String id = createIntegration(alice, "hsbc");

        String jobId = connect(alice, id);

        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/integrations/" + id)
                .then().statusCode(200).body("status", equalTo("connected")).body("nextSyncAt", notNullValue());
        SyncRequested requested = syncRequested(id, jobId);
        assertThat(requested.syncType()).isEqualTo(SyncType.FULL);
        assertThat(requested.trigger()).isEqualTo(SyncTrigger.SCHEDULED);
        assertThat(requested.category()).isEqualTo(IntegrationCategory.BANK);
        assertThat(requested.provider()).isEqualTo("hsbc");
        assertThat(requested.userId()).isEqualTo(alice);
    }

    @Test
    void shouldDriveAJobToCompletionFromSyncStatusAndNeverBackwards() {
        String alice = newUser();
        String id = createIntegration(alice, "hsbc");
        String jobId = connect(alice, id);
        String token = TestTokens.user(alice);

        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/integrations/" + id + "/sync")
                .then().statusCode(409).contentType(PROBLEM);

        publishReport(report(id, jobId, SyncState.RUNNING, 0, 0, null));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(token)
                .when().get("/api/integrations/" + id).then().body("status", equalTo("syncing")));
        publishReport(report(id, jobId, SyncState.PROGRESS, 40, 0, null));
        SyncStatus completed = report(id, jobId, SyncState.COMPLETED, 100, 5, null);
        publishReport(completed);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(token)
                .when().get("/api/integrations/" + id + "/sync-jobs/" + jobId)
                .then().statusCode(200)
                .body("status", equalTo("completed"))
                .body("recordsAdded", equalTo(100))
                .body("recordsUpdated", equalTo(5))
                .body("completedAt", notNullValue()));
        given().auth().oauth2(token).when().get("/api/integrations/" + id + "/status")
                .then().statusCode(200)
                .body("status", equalTo("connected"))
                .body("errorCount", equalTo(0))
                .body("lastSyncAt", notNullValue())
                .body("healthScore", equalTo(1.0f));

        // a report that arrives late must not reopen or shrink the finished job
        publishReport(report(id, jobId, SyncState.PROGRESS, 10, 0, null));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> given().auth()
                .oauth2(token).when().get("/api/integrations/" + id + "/sync-jobs/" + jobId)
                .then().body("status", equalTo("completed")).body("recordsAdded", equalTo(100)));
    }

    @Test
    void shouldPublishAManualSyncAndRecordAFailureOnlyOnce() {
        String alice = newUser();
        String id = createIntegration(alice, "xero");
        String firstJob = connect(alice, id);
        String token = TestTokens.user(alice);
        publishReport(report(id, firstJob, SyncState.COMPLETED, 10, 0, null));
        awaitJobStatus(token, id, firstJob, "completed");

        String jobId = given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("syncType", "incremental"))
                .when().post("/api/integrations/" + id + "/sync")
                .then().statusCode(202)
                .body("status", equalTo("pending"))
                .body("trigger", equalTo("manual"))
                .body("syncType", equalTo("incremental"))
                .extract().path("id");

        SyncRequested requested = syncRequested(id, jobId);
        assertThat(requested.trigger()).isEqualTo(SyncTrigger.MANUAL);
        assertThat(requested.syncType()).isEqualTo(SyncType.INCREMENTAL);
        assertThat(requested.category()).isEqualTo(IntegrationCategory.ACCOUNTING);

        SyncStatus failed = report(id, jobId, SyncState.FAILED, 3, 0, "rate_limited");
        String ceId = UUID.randomUUID().toString();
        publishWithId(Topics.SYNC_STATUS, id, failed, ceId);
        publishWithId(Topics.SYNC_STATUS, id, failed, ceId); // redelivered
        awaitJobStatus(token, id, jobId, "failed");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> given().auth()
                .oauth2(token).when().get("/api/integrations/" + id + "/status")
                .then().statusCode(200)
                .body("status", equalTo("error"))
                .body("errorCount", equalTo(1))
                .body("lastError", equalTo("Provider said: rate_limited"))
                // 0.75 x (0.5 x 1/2 completed + 0.3 x fresh + 0.2 x (1 - 1/2 rate limited))
                .body("healthScore", equalTo(0.49f)));

        given().auth().oauth2(token).when().get("/api/integrations/" + id + "/logs")
                .then().statusCode(200)
                .body("items.action", hasItems("created", "connected", "sync_requested", "sync_completed", "sync_failed"));
        given().auth().oauth2(token).queryParam("status", "failure").when().get("/api/integrations/" + id + "/logs")
                .then().statusCode(200)
                .body("items.action", containsInAnyOrder("sync_failed"))
                .body("items[0].details.errorCode", equalTo("rate_limited"));
        given().auth().oauth2(token).queryParam("from", "yesterday").when().get("/api/integrations/" + id + "/logs")
                .then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void shouldAcceptOnlyOneOfManyConcurrentSyncRequests() throws Exception {
        String alice = newUser();
        String id = createIntegration(alice, "stripe");
        String firstJob = connect(alice, id);
        String token = TestTokens.user(alice);
        publishReport(report(id, firstJob, SyncState.COMPLETED, 1, 0, null));
        awaitJobStatus(token, id, firstJob, "completed");

        ExecutorService callers = Executors.newFixedThreadPool(6);
        List<Callable<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            requests.add(() -> given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("syncType", "full"))
                    .when().post("/api/integrations/" + id + "/sync").then().extract().statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> status : callers.invokeAll(requests)) {
            statuses.add(status.get());
        }
        callers.shutdown();

        assertThat(statuses).containsOnly(202, 409);
        assertThat(statuses.stream().filter(status -> status == 202)).hasSize(1);
        given().auth().oauth2(token).when().get("/api/integrations/" + id + "/sync-jobs")
                .then().body("totalItems", equalTo(2));
    }

    @Test
    void shouldFollowCredentialEventsToReauthAndDisconnection() {
        String alice = newUser();
        String id = createIntegration(alice, "quickbooks");
        String jobId = connect(alice, id);
        String token = TestTokens.user(alice);
        publishReport(report(id, jobId, SyncState.COMPLETED, 1, 0, null));
        awaitJobStatus(token, id, jobId, "completed");

        publishCredentialEvent(id, CredentialEventType.REAUTH_REQUIRED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(token)
                .when().get("/api/integrations/" + id + "/status")
                .then().body("status", equalTo("reauth_required")).body("healthScore", equalTo(0.0f)));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/integrations/" + id + "/sync").then().statusCode(422);

        publishCredentialEvent(id, CredentialEventType.REVOKED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(token)
                .when().get("/api/integrations/" + id)
                .then().body("status", equalTo("disconnected")).body("nextSyncAt", nullValue()));
    }

    @Test
    void shouldRefuseATestTypeOnTheSyncEndpointAndStartTestJobsOnTheirOwn() {
        String alice = newUser();
        String id = createIntegration(alice, "amocrm");
        String jobId = connect(alice, id);
        String token = TestTokens.user(alice);
        publishReport(report(id, jobId, SyncState.COMPLETED, 1, 0, null));
        awaitJobStatus(token, id, jobId, "completed");

        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("syncType", "test"))
                .when().post("/api/integrations/" + id + "/sync").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("syncType", "everything"))
                .when().post("/api/integrations/" + id + "/sync").then().statusCode(400).contentType(PROBLEM);
        String testJob = given().auth().oauth2(token).when().post("/api/integrations/" + id + "/test")
                .then().statusCode(202).body("syncType", equalTo("test")).extract().path("id");
        assertThat(syncRequested(id, testJob).syncType()).isEqualTo(SyncType.TEST);
    }

    @Test
    void shouldCountSyncsForOperators() {
        String alice = newUser();
        String id = createIntegration(alice, "paypal");
        String jobId = connect(alice, id);
        publishReport(report(id, jobId, SyncState.COMPLETED, 7, 0, null));
        awaitJobStatus(TestTokens.user(alice), id, jobId, "completed");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("integrations_sync_jobs_started_total{provider=\"paypal\",trigger=\"scheduled\"}"))
                .body(org.hamcrest.Matchers.containsString("integrations_sync_jobs_finished_total{outcome=\"completed\",provider=\"paypal\"}"))
                .body(org.hamcrest.Matchers.containsString("integrations_sync_duration_seconds_count{outcome=\"completed\",provider=\"paypal\"}"))
                .body(org.hamcrest.Matchers.containsString("integrations{provider=\"paypal\",status=\"connected\"}"))
                .body(org.hamcrest.Matchers.containsString("integrations_outbox_pending")));
    }

    private static void awaitJobStatus(String token, String integrationId, String jobId, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(token)
                .when().get("/api/integrations/" + integrationId + "/sync-jobs/" + jobId)
                .then().statusCode(200).body("status", equalTo(status)));
    }

    private static SyncRequested syncRequested(String integrationId, String jobId) {
        List<TopicRecord> records = KafkaTopics.read(Topics.SYNC_REQUESTED, 1,
                record -> record.value().contains(jobId), Duration.ofSeconds(30));
        assertThat(records).as("sync-requested for job " + jobId).hasSize(1);
        TopicRecord record = records.get(0);
        assertThat(record.key()).isEqualTo(integrationId);
        assertThat(record.header("ce_type")).isEqualTo("io.tributary.sync-requested");
        assertThat(record.header("ce_source")).isEqualTo("/tributary/integration-service");
        assertThat(Instant.parse(record.header("ce_time"))).isNotNull();
        SyncRequested event = EventCodec.fromJson(record.value(), SyncRequested.class);
        assertThat(event.syncJobId()).hasToString(jobId);
        assertThat(event.integrationId()).hasToString(integrationId);
        return event;
    }
}
