package io.tributary.bank.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.tributary.bank.PlaidStubTestResource;
import io.tributary.bank.PlaidStubs;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.BalanceAlert;
import io.tributary.contracts.event.BalanceAlertRule;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import io.tributary.contracts.event.SyncRequested;
import io.tributary.contracts.event.SyncState;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.contracts.event.SyncedTransaction;
import io.tributary.contracts.event.TransactionChange;
import io.tributary.contracts.event.TransactionsSynced;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.testsupport.TopicRecord;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * sync-requested in, sync-status and transactions-synced out, through a real broker and PostgreSQL,
 * with Plaid and oauth-service's credentials API stood in for by WireMock.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(PlaidStubTestResource.class)
class SyncRequestedFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    WireMockServer plaid;

    @Inject
    Pool pool;

    @Test
    void aRequestedSyncReadsEveryPageReportsProgressAndPublishesTheTransactions() throws Exception {
        Connected item = connectedItem();
        PlaidStubs.page(plaid, item.token, null, PlaidStubs.transactions("f", 0, 4), List.of(), List.of(), "f1", true);
        PlaidStubs.page(plaid, item.token, "f1", PlaidStubs.transactions("f", 4, 4), List.of(), List.of(), "f2", true);
        PlaidStubs.page(plaid, item.token, "f2", PlaidStubs.transactions("f", 8, 4), List.of(), List.of(), "f3", false);
        UUID job = UUID.randomUUID();

        publishRequest(item, job, SyncType.FULL, UUID.randomUUID());

        List<SyncStatus> reports = reports(item.integration, 4);
        assertThat(reports).extracting(SyncStatus::state).containsExactly(SyncState.RUNNING, SyncState.PROGRESS,
                SyncState.PROGRESS, SyncState.COMPLETED);
        assertThat(reports).extracting(SyncStatus::syncJobId).containsOnly(job);
        assertThat(reports).extracting(SyncStatus::recordsAdded).containsExactly(0L, 4L, 8L, 12L);
        SyncStatus completed = reports.get(3);
        assertThat(completed.finishedAt()).isNotNull();
        assertThat(completed.startedAt()).isBeforeOrEqualTo(completed.finishedAt());

        List<SyncedTransaction> published = synced(item.integration, 12);
        assertThat(published).extracting(SyncedTransaction::externalId).hasSize(12).doesNotHaveDuplicates();
        SyncedTransaction coffee = published.stream().filter(t -> t.externalId().equals("f-0")).findFirst().orElseThrow();
        // Plaid's 4.50 out of the account is -4.50 in the event
        assertThat(coffee.amount()).isEqualByComparingTo("-4.50");
        assertThat(coffee.change()).isEqualTo(TransactionChange.ADDED);
        assertThat(coffee.currency()).isEqualTo("GBP");
        assertThat(coffee.accountExternalId()).isEqualTo("acc-check");

        Row run = row("SELECT status, sync_type, requested_type, records_added, pages, duration_ms FROM "
                + "bank.transaction_syncs WHERE sync_job_id = $1", job);
        assertThat(run.getString("status")).isEqualTo("completed");
        assertThat(run.getString("sync_type")).isEqualTo("initial");
        assertThat(run.getInteger("records_added")).isEqualTo(12);
        assertThat(run.getInteger("pages")).isEqualTo(3);
        assertThat(row("SELECT sync_cursor FROM bank.bank_connections WHERE id = $1", item.connection)
                .getString("sync_cursor")).isEqualTo("f3");
        // the credential was asked for with this service's own bearer token, and never stored here
        plaid.verify(getRequestedFor(urlEqualTo("/internal/credentials/" + item.integration))
                .withHeader("Authorization", matching("Bearer .+")));
        assertThat(count("SELECT count(*) FROM bank.bank_connections WHERE sync_cursor LIKE '%access-sandbox%' "
                + "OR external_id LIKE '%access-sandbox%'")).isZero();
    }

    @Test
    void aRedeliveredRequestAndARepeatedJobHaveNoSecondEffect() {
        Connected item = connectedItem();
        PlaidStubs.page(plaid, item.token, null, PlaidStubs.transactions("r", 0, 3), List.of(), List.of(), "r1", false);
        UUID job = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();

        publishRequest(item, job, SyncType.FULL, eventId);
        assertThat(reports(item.integration, 2)).extracting(SyncStatus::state)
                .containsExactly(SyncState.RUNNING, SyncState.COMPLETED);

        // the same record again (a consumer crash before its offset commit), and the same job under a new id
        publishRequest(item, job, SyncType.FULL, eventId);
        publishRequest(item, job, SyncType.FULL, UUID.randomUUID());
        // a later job of the same integration proves both were consumed before we look
        UUID later = UUID.randomUUID();
        PlaidStubs.page(plaid, item.token, "r1", List.of(), List.of(), List.of(), "r1", false);
        publishRequest(item, later, SyncType.INCREMENTAL, UUID.randomUUID());
        await().atMost(WAIT).until(() -> reports(item.integration, 4).size() == 4);

        assertThat(reports(item.integration, 4)).extracting(SyncStatus::syncJobId)
                .containsExactly(job, job, later, later);
        assertThat(count("SELECT count(*) FROM bank.transaction_syncs WHERE sync_job_id = $1", job)).isOne();
        assertThat(row("SELECT sync_type FROM bank.transaction_syncs WHERE sync_job_id = $1", later)
                .getString("sync_type")).isEqualTo("manual");
        assertThat(synced(item.integration, 3)).hasSize(3);
    }

    @Test
    void anItemWhoseLoginIsRequiredFailsTheJobAndMarksTheConnectionForReauthentication() {
        Connected item = connectedItem();
        PlaidStubs.error(plaid, item.token, 400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED",
                "the login details of this item have changed");
        UUID job = UUID.randomUUID();

        publishRequest(item, job, SyncType.FULL, UUID.randomUUID());

        SyncStatus failed = reports(item.integration, 2).get(1);
        assertThat(failed.state()).isEqualTo(SyncState.FAILED);
        assertThat(failed.errorCode()).isEqualTo("item_login_required");
        assertThat(failed.errorMessage()).contains("ITEM_LOGIN_REQUIRED").doesNotContain(item.token);
        assertThat(failed.finishedAt()).isNotNull();
        Row connection = row("SELECT requires_reauth, error_count, last_error FROM bank.bank_connections "
                + "WHERE id = $1", item.connection);
        assertThat(connection.getBoolean("requires_reauth")).isTrue();
        assertThat(connection.getInteger("error_count")).isOne();
    }

    @Test
    void aRateLimitPausesTheRunAndItCarriesOnLater() {
        Connected item = connectedItem();
        String scenario = "rate-" + item.token;
        plaid.stubFor(PlaidStubs.request(item.token, null).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("allowed").willReturn(aResponse().withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error_type\":\"RATE_LIMIT_EXCEEDED\",\"error_code\":\"TRANSACTIONS_SYNC_LIMIT\","
                                + "\"error_message\":\"rate limit exceeded for attempts to access this item. please "
                                + "try again later\",\"display_message\":null,\"request_id\":\"rl\"}")));
        plaid.stubFor(PlaidStubs.request(item.token, null).inScenario(scenario).whenScenarioStateIs("allowed")
                .willReturn(PlaidStubs.okJson(PlaidStubs.body(PlaidStubs.transactions("l", 0, 2), List.of(), List.of(),
                        "l1", false))));
        UUID job = UUID.randomUUID();

        publishRequest(item, job, SyncType.FULL, UUID.randomUUID());

        List<SyncStatus> reports = reports(item.integration, 3);
        assertThat(reports).extracting(SyncStatus::state)
                .containsExactly(SyncState.RUNNING, SyncState.PROGRESS, SyncState.COMPLETED);
        assertThat(reports.get(1).errorCode()).isEqualTo("rate_limited");
        assertThat(reports.get(1).errorMessage()).contains("trying again at");
        assertThat(reports.get(2).recordsAdded()).isEqualTo(2);
        assertThat(row("SELECT retry_count, status FROM bank.transaction_syncs WHERE sync_job_id = $1", job)
                .getInteger("retry_count")).isOne();
    }

    @Test
    void aCredentialOauthServiceCannotGiveFailsTheJobWithTheReason() {
        Connected refused = connectedItem();
        PlaidStubs.credentialProblem(plaid, refused.integration, 409);
        Connected missing = connectedItem();
        PlaidStubs.credentialProblem(plaid, missing.integration, 404);

        publishRequest(refused, UUID.randomUUID(), SyncType.INCREMENTAL, UUID.randomUUID());
        publishRequest(missing, UUID.randomUUID(), SyncType.INCREMENTAL, UUID.randomUUID());

        assertThat(reports(refused.integration, 2).get(1).errorCode()).isEqualTo("reauth_required");
        assertThat(reports(missing.integration, 2).get(1).errorCode()).isEqualTo("credential_missing");
        assertThat(row("SELECT requires_reauth FROM bank.bank_connections WHERE id = $1", refused.connection)
                .getBoolean("requires_reauth")).isTrue();
    }

    @Test
    void aRequestForAnIntegrationWithNoConnectionOrOfAnotherCategoryIsAnsweredOrLeftAlone() {
        UUID integration = UUID.randomUUID();
        SyncRequested request = new SyncRequested(UUID.randomUUID(), integration, "dora", "plaid",
                IntegrationCategory.AGGREGATOR, SyncType.FULL, SyncTrigger.SCHEDULED, Instant.now());
        publish(request, UUID.randomUUID());
        UUID accounting = UUID.randomUUID();
        publish(new SyncRequested(UUID.randomUUID(), accounting, "dora", "xero", IntegrationCategory.ACCOUNTING,
                SyncType.FULL, SyncTrigger.SCHEDULED, Instant.now()), UUID.randomUUID());

        SyncStatus failed = reports(integration, 1).get(0);
        assertThat(failed.state()).isEqualTo(SyncState.FAILED);
        assertThat(failed.errorCode()).isEqualTo("not_connected");
        assertThat(failed.syncJobId()).isEqualTo(request.syncJobId());
        // accounting-sync-service answers that one; this service stays silent
        assertThat(KafkaTopics.readAll(Topics.SYNC_STATUS, Duration.ofSeconds(2)).stream()
                .filter(record -> record.key().equals(accounting.toString()))).isEmpty();
    }

    @Test
    void aTestRequestChecksTheCredentialAndReadsTheAccountsOnly() {
        Connected item = connectedItem();
        plaid.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/accounts/get"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.access_token",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(item.token)))
                .willReturn(PlaidStubs.okJson(PlaidStubs.accountsBody())));
        UUID job = UUID.randomUUID();

        publishRequest(item, job, SyncType.TEST, UUID.randomUUID());

        List<SyncStatus> reports = reports(item.integration, 2);
        assertThat(reports.get(1).state()).isEqualTo(SyncState.COMPLETED);
        assertThat(reports.get(1).recordsAdded()).isZero();
        assertThat(count("SELECT count(*) FROM bank.bank_accounts WHERE connection_id = $1", item.connection))
                .isEqualTo(2);
        assertThat(row("SELECT sync_cursor FROM bank.bank_connections WHERE id = $1", item.connection)
                .getString("sync_cursor")).isNull();
    }

    @Test
    void aRunWhoseWorkerDiedIsTakenOverWhenItsLeaseRunsOut() {
        Connected item = connectedItem();
        PlaidStubs.page(plaid, item.token, null, PlaidStubs.transactions("d", 0, 2), List.of(), List.of(), "d1", false);
        UUID job = UUID.randomUUID();
        // a replica claimed the run, said "running" and died
        sql("INSERT INTO bank.transaction_syncs (id, connection_id, sync_job_id, sync_type, requested_type, status, "
                + "started_at, lease_until, claim_id) VALUES ($1, $2, $3, 'initial', 'full', 'running', "
                + "now() - interval '5 minutes', now() - interval '1 second', $4)", UUID.randomUUID(), item.connection,
                job, UUID.randomUUID());

        await().atMost(WAIT).untilAsserted(() -> assertThat(row("SELECT status FROM bank.transaction_syncs "
                + "WHERE sync_job_id = $1", job).getString("status")).isEqualTo("completed"));

        List<SyncStatus> reports = reports(item.integration, 1);
        // not a second "running": the job was already reported started
        assertThat(reports).extracting(SyncStatus::state).containsExactly(SyncState.COMPLETED);
        assertThat(reports.get(0).recordsAdded()).isEqualTo(2);
    }

    @Test
    void aDeletedIntegrationStopsItsConnection() {
        Connected item = connectedItem();
        IntegrationEvent deleted = new IntegrationEvent(item.integration, "alice", "plaid",
                IntegrationCategory.AGGREGATOR, IntegrationEventType.DELETED, null, Instant.now());
        KafkaTopics.publish(Topics.INTEGRATION_EVENTS, item.integration.toString(), EventCodec.toJson(deleted),
                KafkaTopics.cloudEventHeaders(UUID.randomUUID().toString(), EventType.INTEGRATION_EVENT.cloudEventType()));

        await().atMost(WAIT).untilAsserted(() -> assertThat(row("SELECT is_active FROM bank.bank_connections "
                + "WHERE id = $1", item.connection).getBoolean("is_active")).isFalse());
        publishRequest(item, UUID.randomUUID(), SyncType.INCREMENTAL, UUID.randomUUID());

        assertThat(reports(item.integration, 1).get(0).errorCode()).isEqualTo("not_connected");
    }

    @Test
    void balanceAlertsFireOnceUnderTheUsersRules() {
        String user = "erin-" + UUID.randomUUID();
        Connected item = connectedItem(user);
        // the user's defaults: under 2,000 is low, 10 or more is large; the card is left out (not a deposit account)
        sql("INSERT INTO bank.banking_preferences (id, user_id, low_balance_threshold, large_transaction_threshold) "
                + "VALUES ($1, $2, 2000, 10)", UUID.randomUUID(), user);
        PlaidStubs.page(plaid, item.token, null, PlaidStubs.transactions("a", 0, 12), List.of(), List.of(), "a1", false);
        PlaidStubs.page(plaid, item.token, "a1", List.of(), List.of(), List.of(), "a1", false);

        publishRequest(item, UUID.randomUUID(), SyncType.FULL, UUID.randomUUID());
        reports(item.integration, 2);
        // the balance is still low and the page is read again: nothing fires twice
        publishRequest(item, UUID.randomUUID(), SyncType.INCREMENTAL, UUID.randomUUID());
        reports(item.integration, 4);
        publishRequest(item, UUID.randomUUID(), SyncType.FULL, UUID.randomUUID());
        reports(item.integration, 6);

        List<BalanceAlert> alerts = KafkaTopics.readAll(Topics.BALANCE_ALERTS, Duration.ofSeconds(2)).stream()
                .map(record -> EventCodec.fromJson(record.value(), BalanceAlert.class))
                .filter(alert -> alert.userId().equals(user)).toList();
        assertThat(alerts).filteredOn(alert -> alert.rule() == BalanceAlertRule.LOW_BALANCE).singleElement()
                .satisfies(low -> {
                    assertThat(low.amount()).isEqualByComparingTo("1250.10");
                    assertThat(low.threshold()).isEqualByComparingTo("2000");
                    assertThat(low.integrationId()).isEqualTo(item.integration);
                });
        // Plaid amounts 4.50 + i: i = 6..11 reach 10; the alert's amount is money out, negative
        assertThat(alerts).filteredOn(alert -> alert.rule() == BalanceAlertRule.LARGE_TRANSACTION)
                .extracting(BalanceAlert::transactionExternalId)
                .containsExactlyInAnyOrder("a-6", "a-7", "a-8", "a-9", "a-10", "a-11");
        assertThat(alerts).filteredOn(alert -> "a-6".equals(alert.transactionExternalId())).singleElement()
                .satisfies(large -> assertThat(large.amount()).isEqualByComparingTo("-10.50"));
    }

    private record Connected(UUID integration, UUID connection, String token) {
    }

    private Connected connectedItem() {
        return connectedItem("alice");
    }

    /** A Plaid item linked earlier: its connection here, its access token in (the stand-in of) oauth-service. */
    private Connected connectedItem(String user) {
        UUID integration = UUID.randomUUID();
        UUID connection = UUID.randomUUID();
        String token = PlaidStubs.token();
        sql("INSERT INTO bank.bank_connections (id, integration_id, user_id, provider, external_id) "
                + "VALUES ($1, $2, $3, 'plaid', $4)", connection, integration, user, "item-" + connection);
        PlaidStubs.credential(plaid, integration, token, "item-" + connection);
        return new Connected(integration, connection, token);
    }

    private void publishRequest(Connected item, UUID job, SyncType type, UUID eventId) {
        publish(new SyncRequested(job, item.integration, "alice", "plaid", IntegrationCategory.AGGREGATOR, type,
                type == SyncType.FULL ? SyncTrigger.SCHEDULED : SyncTrigger.MANUAL, Instant.now()), eventId);
    }

    private static void publish(SyncRequested request, UUID eventId) {
        KafkaTopics.publish(Topics.SYNC_REQUESTED, request.integrationId().toString(), EventCodec.toJson(request),
                KafkaTopics.cloudEventHeaders(eventId.toString(), EventType.SYNC_REQUESTED.cloudEventType()));
    }

    private static List<SyncStatus> reports(UUID integration, int expected) {
        return KafkaTopics.read(Topics.SYNC_STATUS, expected, record -> record.key().equals(integration.toString()),
                WAIT).stream().map(record -> EventCodec.fromJson(record.value(), SyncStatus.class)).toList();
    }

    private static List<SyncedTransaction> synced(UUID integration, int expectedTransactions) {
        await().atMost(WAIT).until(() -> transactions(integration).size() >= expectedTransactions);
        return transactions(integration);
    }

    private static List<SyncedTransaction> transactions(UUID integration) {
        return KafkaTopics.read(Topics.TRANSACTIONS_SYNCED, Integer.MAX_VALUE,
                        record -> record.key().equals(integration.toString()), Duration.ofSeconds(1)).stream()
                .map(TopicRecord::value)
                .map(value -> EventCodec.fromJson(value, TransactionsSynced.class))
                .flatMap(batch -> batch.transactions().stream())
                .toList();
    }

    private Row row(String sql, Object... parameters) {
        return sql(sql, parameters).iterator().next();
    }

    private long count(String sql, Object... parameters) {
        return row(sql, parameters).getLong(0);
    }

    private io.vertx.mutiny.sqlclient.RowSet<Row> sql(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(10));
    }
}
