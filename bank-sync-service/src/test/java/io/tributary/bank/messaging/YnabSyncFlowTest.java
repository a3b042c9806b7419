package io.tributary.bank.messaging;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.tributary.bank.PlaidStubTestResource;
import io.tributary.bank.PlaidStubs;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.SyncRequested;
import io.tributary.contracts.event.SyncState;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** A YNAB budget synced on sync-requested with delta requests (last_knowledge_of_server), YNAB stood in for by WireMock. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(PlaidStubTestResource.class)
class YnabSyncFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BUDGET = "/ynab/v1/budgets/last-used";

    WireMockServer plaid;

    @Inject
    Pool pool;

    @Test
    void aFirstSyncReadsEverythingAndTheNextOnlyWhatChangedSinceTheServerKnowledge() {
        UUID integration = UUID.randomUUID();
        String token = "ynab-access-" + UUID.randomUUID();
        PlaidStubs.credential(plaid, integration, token, "unused");
        plaid.stubFor(get(urlPathEqualTo(BUDGET + "/accounts")).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(json("{\"data\":{\"accounts\":[" + account("a-check", "Checking", "checking", 1250100)
                        + "," + account("a-card", "Visa", "creditCard", -300000) + "],\"server_knowledge\":7}}")));
        plaid.stubFor(get(urlPathEqualTo(BUDGET + "/settings")).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(json("{\"data\":{\"settings\":{\"date_format\":{\"format\":\"DD/MM/YYYY\"},"
                        + "\"currency_format\":{\"iso_code\":\"GBP\",\"example_format\":\"123,456.78\","
                        + "\"decimal_digits\":2,\"decimal_separator\":\".\",\"symbol_first\":true,"
                        + "\"group_separator\":\",\",\"currency_symbol\":\"£\",\"display_symbol\":true}}}}")));
        plaid.stubFor(transactions(token, "0", "[" + transaction("t1", "a-check", -4500, "cleared", false) + ","
                + transaction("t2", "a-check", 2500000, "reconciled", false) + ","
                + transaction("t3", "a-card", -60000, "uncleared", false) + "]", 7));
        plaid.stubFor(transactions(token, "7", "[" + transaction("t1", "a-check", -5000, "cleared", false) + ","
                + transaction("t3", "a-card", -60000, "uncleared", true) + "]", 9));

        request(integration);
        SyncStatus first = last(reports(integration, 2));
        assertThat(first.state()).isEqualTo(SyncState.COMPLETED);
        assertThat(first.recordsAdded()).isEqualTo(3);
        UUID connection = row("SELECT id FROM bank.bank_connections WHERE integration_id = $1 AND provider = 'ynab'",
                integration).getUUID("id");
        assertThat(row("SELECT sync_cursor FROM bank.bank_connections WHERE id = $1", connection)
                .getString("sync_cursor")).isEqualTo("7");
        assertThat(row("SELECT account_type, current_balance FROM bank.bank_accounts WHERE connection_id = $1 "
                + "AND provider_account_id = 'a-card'", connection).getBigDecimal("current_balance"))
                .isEqualByComparingTo("300.00");
        // the budget's currency, from its settings, on its accounts and transactions
        assertThat(row("SELECT count(DISTINCT a.currency) AS kinds, min(a.currency) AS account, "
                + "min(t.currency) AS spent FROM bank.bank_accounts a JOIN bank.transactions t ON t.account_id = a.id "
                + "WHERE a.connection_id = $1", connection).toJson().getMap())
                .containsEntry("kinds", 1L).containsEntry("account", "GBP").containsEntry("spent", "GBP");
        // milliunits, negative out in YNAB: -4500 is 4.50 spent, stored money-out-positive
        assertThat(live(connection)).containsExactlyInAnyOrder("t1 4.5000 false", "t2 -2500.0000 false",
                "t3 60.0000 true");

        request(integration);
        SyncStatus second = last(reports(integration, 4));
        assertThat(second.state()).isEqualTo(SyncState.COMPLETED);
        assertThat(second.recordsUpdated()).isEqualTo(1);
        assertThat(second.recordsDeleted()).isEqualTo(1);
        assertThat(live(connection)).containsExactlyInAnyOrder("t1 5.0000 false", "t2 -2500.0000 false");
        assertThat(row("SELECT sync_cursor FROM bank.bank_connections WHERE id = $1", connection)
                .getString("sync_cursor")).isEqualTo("9");
    }

    @Test
    void anExpiredAuthorisationFailsTheJobForReauthentication() {
        UUID integration = UUID.randomUUID();
        String token = "ynab-revoked-" + UUID.randomUUID();
        PlaidStubs.credential(plaid, integration, token, "unused");
        plaid.stubFor(get(urlPathEqualTo(BUDGET + "/accounts")).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"id\":\"401\",\"name\":\"unauthorized\",\"detail\":\"Unauthorized\"}}")));

        request(integration);

        SyncStatus failed = last(reports(integration, 2));
        assertThat(failed.state()).isEqualTo(SyncState.FAILED);
        assertThat(failed.errorCode()).isEqualTo("reauth_required");
        assertThat(failed.errorMessage()).doesNotContain(token);
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder transactions(String token, String knowledge,
            String list, long serverKnowledge) {
        return get(urlPathEqualTo(BUDGET + "/transactions")).withHeader("Authorization", equalTo("Bearer " + token))
                .withQueryParam("last_knowledge_of_server", equalTo(knowledge))
                .willReturn(json("{\"data\":{\"transactions\":" + list + ",\"server_knowledge\":" + serverKnowledge
                        + "}}"));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String account(String id, String name, String type, long balance) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"on_budget\":true,"
                + "\"closed\":false,\"note\":null,\"balance\":" + balance + ",\"cleared_balance\":" + balance
                + ",\"uncleared_balance\":0,\"transfer_payee_id\":\"p-" + id + "\",\"deleted\":false}";
    }

    private static String transaction(String id, String account, long milliunits, String cleared, boolean deleted) {
        return "{\"id\":\"" + id + "\",\"date\":\"2026-11-20\",\"amount\":" + milliunits + ",\"memo\":null,"
                + "\"cleared\":\"" + cleared + "\",\"approved\":true,\"flag_color\":null,\"account_id\":\"" + account
                + "\",\"payee_id\":\"p1\",\"payee_name\":\"Payee " + id + "\",\"category_id\":\"c1\","
                + "\"category_name\":\"Groceries\",\"transfer_account_id\":null,\"import_id\":null,\"deleted\":"
                + deleted + ",\"subtransactions\":[]}";
    }

    private static void request(UUID integration) {
        SyncRequested request = new SyncRequested(UUID.randomUUID(), integration, "ines", "ynab",
                IntegrationCategory.AGGREGATOR, SyncType.INCREMENTAL, SyncTrigger.SCHEDULED, Instant.now());
        KafkaTopics.publish(Topics.SYNC_REQUESTED, integration.toString(), EventCodec.toJson(request),
                KafkaTopics.cloudEventHeaders(UUID.randomUUID().toString(), EventType.SYNC_REQUESTED.cloudEventType()));
    }

    private static List<SyncStatus> reports(UUID integration, int expected) {
        return KafkaTopics.read(Topics.SYNC_STATUS, expected, record -> record.key().equals(integration.toString()),
                WAIT).stream().map(record -> EventCodec.fromJson(record.value(), SyncStatus.class)).toList();
    }

    private static SyncStatus last(List<SyncStatus> reports) {
        return reports.get(reports.size() - 1);
    }

    private List<String> live(UUID connection) {
        List<String> rows = new ArrayList<>();
        pool.preparedQuery("SELECT t.provider_transaction_id, t.amount, t.pending FROM bank.transactions t "
                        + "JOIN bank.bank_accounts a ON a.id = t.account_id WHERE a.connection_id = $1 "
                        + "AND t.removed_at IS NULL")
                .execute(Tuple.of(connection)).await().atMost(Duration.ofSeconds(10))
                .forEach(row -> rows.add(row.getString(0) + " " + row.getBigDecimal(1).toPlainString() + " "
                        + row.getBoolean(2)));
        return rows;
    }

    private Row row(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(10))
                .iterator().next();
    }
}
