package io.tributary.integration.service;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.SyncRequested;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.testsupport.TopicRecord;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
class SyncSchedulerTest {

    private static final int DUE = 100;

    @Inject
    SyncScheduler scheduler;

    @Inject
    Pool pool;

    @Test
    void shouldScheduleEachOfHundredDueIntegrationsExactlyOnceWithTwoSchedulersRacing() throws Exception {
        String user = "race-" + UUID.randomUUID();
        Set<UUID> due = insertDueIntegrations(user);
        UUID manual = insertIntegration(user, "manual", OffsetDateTime.now().minusHours(1));

        // two scheduler instances, each on its own transactions and connections, claiming in rounds of 10
        ExecutorService instances = Executors.newFixedThreadPool(2);
        List<Callable<Integer>> rounds = List.of(this::scheduleAll, this::scheduleAll);
        int started = 0;
        for (Future<Integer> instance : instances.invokeAll(rounds)) {
            started += instance.get();
        }
        instances.shutdown();

        assertThat(started).isEqualTo(DUE);
        List<Row> jobs = new ArrayList<>();
        pool.preparedQuery("SELECT j.integration_id, j.trigger, j.sync_type FROM integration.sync_jobs j "
                        + "JOIN integration.integrations i ON i.id = j.integration_id WHERE i.user_id = $1")
                .execute(Tuple.of(user)).await().atMost(Duration.ofSeconds(10)).forEach(jobs::add);
        assertThat(jobs).hasSize(DUE);
        assertThat(jobs.stream().map(row -> row.getUUID("integration_id")).toList())
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(due).doesNotContain(manual);
        assertThat(jobs).allSatisfy(row -> {
            assertThat(row.getString("trigger")).isEqualTo("scheduled");
            assertThat(row.getString("sync_type")).isEqualTo("incremental");
        });
        long stillDue = pool.preparedQuery("SELECT count(*) FROM integration.integrations "
                        + "WHERE user_id = $1 AND sync_frequency <> 'manual' AND next_sync_at <= now()")
                .execute(Tuple.of(user)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertThat(stillDue).isZero();

        List<TopicRecord> published = KafkaTopics.read(Topics.SYNC_REQUESTED, DUE,
                record -> record.value().contains(user), Duration.ofSeconds(60));
        assertThat(published).hasSize(DUE);
        Set<UUID> requested = new HashSet<>();
        for (TopicRecord record : published) {
            SyncRequested event = EventCodec.fromJson(record.value(), SyncRequested.class);
            assertThat(event.trigger()).isEqualTo(SyncTrigger.SCHEDULED);
            assertThat(record.key()).isEqualTo(event.integrationId().toString());
            requested.add(event.integrationId());
        }
        assertThat(requested).isEqualTo(due);
    }

    @Test
    void shouldFailAJobItsSyncServiceWentSilentOnSoTheIntegrationCanSyncAgain() throws Throwable {
        String user = "silent-" + UUID.randomUUID();
        UUID integration = insertIntegration(user, "daily", OffsetDateTime.now().plusDays(1));
        pool.preparedQuery("UPDATE integration.integrations SET status = 'syncing' WHERE id = $1")
                .execute(Tuple.of(integration)).await().atMost(Duration.ofSeconds(10));
        UUID silent = insertJob(integration, "running", OffsetDateTime.now().minusHours(3));
        UUID otherIntegration = insertIntegration(user, "daily", OffsetDateTime.now().plusDays(1));
        UUID recent = insertJob(otherIntegration, "running", OffsetDateTime.now().minusMinutes(10));

        int expired = VertxContextSupport.subscribeAndAwait(() -> scheduler.expireSilentJobs());

        assertThat(expired).isEqualTo(1);
        Row job = pool.preparedQuery("SELECT status, error_code, completed_at FROM integration.sync_jobs WHERE id = $1")
                .execute(Tuple.of(silent)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("error_code")).isEqualTo("timed_out");
        assertThat(job.getOffsetDateTime("completed_at")).isNotNull();
        Row owner = pool.preparedQuery("SELECT status, error_count FROM integration.integrations WHERE id = $1")
                .execute(Tuple.of(integration)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(owner.getString("status")).isEqualTo("error");
        assertThat(owner.getInteger("error_count")).isEqualTo(1);
        String stillRunning = pool.preparedQuery("SELECT status FROM integration.sync_jobs WHERE id = $1")
                .execute(Tuple.of(recent)).await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
        assertThat(stillRunning).isEqualTo("running");
    }

    @Test
    void shouldLetAnAdminStartEveryDueSyncAtOnce() {
        String user = "due-" + UUID.randomUUID();
        Set<UUID> due = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            due.add(insertIntegration(user, "daily", OffsetDateTime.now().minusMinutes(5)));
        }

        int scheduled = io.restassured.RestAssured.given()
                .auth().oauth2(io.tributary.integration.TestTokens.admin("operator-" + UUID.randomUUID()))
                .when().post("/api/integrations/sync-all")
                .then().statusCode(200).extract().path("scheduled");

        assertThat(scheduled).isGreaterThanOrEqualTo(3);
        long jobs = pool.preparedQuery("SELECT count(DISTINCT j.integration_id) FROM integration.sync_jobs j "
                        + "JOIN integration.integrations i ON i.id = j.integration_id WHERE i.user_id = $1")
                .execute(Tuple.of(user)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertThat(jobs).isEqualTo(3);
    }

    private UUID insertJob(UUID integration, String status, OffsetDateTime lastHeardOf) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO integration.sync_jobs (id, integration_id, sync_type, trigger, status, "
                        + "created_at, started_at, last_report_at) VALUES ($1, $2, 'incremental', 'scheduled', $3, $4, $4, $4)")
                .execute(Tuple.of(id, integration, status, lastHeardOf)).await().atMost(Duration.ofSeconds(10));
        return id;
    }

    private int scheduleAll() throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> scheduler.scheduleAllDue());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private Set<UUID> insertDueIntegrations(String user) {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < DUE; i++) {
            ids.add(insertIntegration(user, "hourly", OffsetDateTime.now().minusMinutes(1 + i)));
        }
        return ids;
    }

    private UUID insertIntegration(String user, String frequency, OffsetDateTime nextSyncAt) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO integration.integrations (id, user_id, name, integration_type, provider, status, "
                        + "sync_frequency, next_sync_at, created_at, updated_at) "
                        + "VALUES ($1, $2, $3, 'payment', 'stripe', 'connected', $4, $5, now(), now())")
                .execute(Tuple.of(id, user, "Stripe " + id, frequency, nextSyncAt))
                .await().atMost(Duration.ofSeconds(10));
        return id;
    }
}
