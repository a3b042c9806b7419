package io.tributary.bank.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.tributary.bank.PlaidStubTestResource;
import io.tributary.bank.client.PlaidApiException;
import io.tributary.testsupport.InfrastructureTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plaid's /transactions/sync applied to the bank schema, with Plaid stood in for by WireMock (providers.md 2.1, 4). */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(PlaidStubTestResource.class)
class PlaidSyncTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    WireMockServer plaid;

    @Inject
    PlaidSync sync;

    @Inject
    Pool pool;

    @Test
    void aFirstSyncReadsEveryPageAndSavesTheCursorOfTheLast() {
        String token = token();
        UUID connection = connection();
        page(token, null, transactions("a", 0, 4), List.of(), List.of(), "c1", true);
        page(token, "c1", transactions("a", 4, 4), List.of(), List.of(), "c2", true);
        page(token, "c2", transactions("a", 8, 4), List.of(), List.of(), "c3", false);

        PlaidSync.Outcome outcome = run(connection, token);

        assertThat(outcome.pages()).isEqualTo(3);
        assertThat(outcome.added()).isEqualTo(12);
        assertThat(outcome.cursor()).isEqualTo("c3");
        assertThat(cursor(connection)).isEqualTo("c3");
        assertThat(count("SELECT count(*) FROM bank.bank_accounts WHERE connection_id = $1", connection)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM bank.transactions t JOIN bank.bank_accounts a ON a.id = t.account_id "
                + "WHERE a.connection_id = $1 AND t.removed_at IS NULL", connection)).isEqualTo(12);
        Row coffee = row("SELECT t.amount, t.currency, t.payment_channel, c.provider_code FROM bank.transactions t "
                + "JOIN bank.bank_accounts a ON a.id = t.account_id LEFT JOIN bank.categories c ON c.id = t.category_id "
                + "WHERE a.connection_id = $1 AND t.provider_transaction_id = 'a-0'", connection);
        assertThat(coffee.getBigDecimal("amount")).isEqualByComparingTo("4.50");
        assertThat(coffee.getString("currency")).isEqualTo("GBP");
        assertThat(coffee.getString("payment_channel")).isEqualTo("in_store");
        assertThat(coffee.getString("provider_code")).isEqualTo("FOOD_AND_DRINK");
        Row card = row("SELECT account_type, available_credit FROM bank.bank_accounts WHERE connection_id = $1 "
                + "AND provider_account_id = 'acc-card'", connection);
        assertThat(card.getString("account_type")).isEqualTo("credit_card");
        assertThat(card.getBigDecimal("available_credit")).isEqualByComparingTo("4700.00");
    }

    @Test
    void anIncrementalSyncAppliesModifiedAndRemovedAndAPostedTransactionReplacesItsPendingOne() {
        String token = token();
        UUID connection = connection();
        List<Map<String, Object>> first = transactions("b", 0, 3);
        first.get(2).put("pending", true);
        page(token, null, first, List.of(), List.of(), "c1", false);
        run(connection, token);

        Map<String, Object> changed = transactions("b", 1, 1).get(0);
        changed.put("amount", 99.99);
        Map<String, Object> posted = transactions("b", 3, 1).get(0);
        posted.put("pending_transaction_id", "b-2");
        page(token, "c1", List.of(posted), List.of(changed), List.of("b-0", "b-2"), "c2", false);

        PlaidSync.Outcome outcome = run(connection, token);

        assertThat(outcome.added()).isEqualTo(1);
        assertThat(outcome.updated()).isEqualTo(1);
        assertThat(live(connection)).containsExactlyInAnyOrder("b-1", "b-3");
        assertThat(row("SELECT t.amount FROM bank.transactions t JOIN bank.bank_accounts a ON a.id = t.account_id "
                + "WHERE a.connection_id = $1 AND t.provider_transaction_id = 'b-1'", connection)
                .getBigDecimal("amount")).isEqualByComparingTo("99.99");
        Row postedRow = row("SELECT t.pending, t.pending_transaction_id FROM bank.transactions t "
                + "JOIN bank.bank_accounts a ON a.id = t.account_id WHERE a.connection_id = $1 "
                + "AND t.provider_transaction_id = 'b-3'", connection);
        assertThat(postedRow.getBoolean("pending")).isFalse();
        assertThat(postedRow.getString("pending_transaction_id")).isEqualTo("b-2");
        assertThat(cursor(connection)).isEqualTo("c2");
    }

    @Test
    void aMutationDuringPaginationRestartsTheRunFromTheCursorItBeganWith() {
        String token = token();
        UUID connection = connection();
        page(token, null, transactions("m", 0, 3), List.of(), List.of(), "m1", true);
        // the second page first fails: Plaid's data moved under the run
        plaid.stubFor(request(token, "m1").inScenario("mutation-" + token).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("restarted")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error_type\":\"TRANSACTIONS_ERROR\",\"error_code\":"
                                + "\"TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION\",\"error_message\":\"Underlying "
                                + "transaction data changed since last page was fetched.\",\"display_message\":null,"
                                + "\"request_id\":\"r1\"}")));
        plaid.stubFor(request(token, "m1").inScenario("mutation-" + token).whenScenarioStateIs("restarted")
                .willReturn(okJson(body(transactions("m", 3, 3), List.of(), List.of(), "m2", false))));

        PlaidSync.Outcome outcome = run(connection, token);

        assertThat(outcome.restarts()).isEqualTo(1);
        assertThat(live(connection)).containsExactlyInAnyOrder("m-0", "m-1", "m-2", "m-3", "m-4", "m-5");
        assertThat(cursor(connection)).isEqualTo("m2");
        // the first page was read twice, from the run's first cursor (none)
        assertThat(plaid.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlEqualTo("/transactions/sync")).withRequestBody(matchingJsonPath("$.access_token", equalTo(token)))
                .withRequestBody(notContaining("\"cursor\"")))).hasSize(2);
    }

    @Test
    void aRunCutOffBetweenPagesResumesWithNoDuplicateAndNoGap() {
        String token = token();
        UUID connection = connection();
        page(token, null, transactions("x", 0, 4), List.of(), List.of(), "x1", true);
        plaid.stubFor(request(token, "x1").willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"error_type\":\"API_ERROR\","
                        + "\"error_code\":\"INTERNAL_SERVER_ERROR\",\"error_message\":\"an unexpected error occurred\","
                        + "\"display_message\":null,\"request_id\":\"r2\"}")));

        assertThatThrownBy(() -> run(connection, token)).isInstanceOf(PlaidApiException.class)
                .hasMessageContaining("INTERNAL_SERVER_ERROR").hasMessageNotContaining(token);
        // the first page is committed; the cursor is not moved until the run ends
        assertThat(live(connection)).hasSize(4);
        assertThat(cursor(connection)).isNull();

        page(token, "x1", transactions("x", 4, 4), List.of(), List.of(), "x2", false);
        PlaidSync.Outcome outcome = run(connection, token);

        assertThat(live(connection)).containsExactlyInAnyOrder("x-0", "x-1", "x-2", "x-3", "x-4", "x-5", "x-6", "x-7");
        assertThat(count("SELECT count(*) FROM bank.transactions t JOIN bank.bank_accounts a ON a.id = t.account_id "
                + "WHERE a.connection_id = $1", connection)).isEqualTo(8);
        assertThat(outcome.added()).isEqualTo(4);
        assertThat(outcome.updated()).isEqualTo(4);
        assertThat(cursor(connection)).isEqualTo("x2");
    }

    private PlaidSync.Outcome run(UUID connection, String token) {
        return sync.run(connection, token).await().atMost(Duration.ofSeconds(30));
    }

    private void page(String token, String cursor, List<Map<String, Object>> added, List<Map<String, Object>> modified,
            List<String> removed, String next, boolean more) {
        plaid.stubFor(request(token, cursor).willReturn(okJson(body(added, modified, removed, next, more))));
    }

    private static MappingBuilder request(String token, String cursor) {
        MappingBuilder request = post(urlEqualTo("/transactions/sync"))
                .withHeader("PLAID-CLIENT-ID", equalTo("plaid-test-client"))
                .withRequestBody(matchingJsonPath("$.access_token", equalTo(token)));
        return cursor == null ? request.withRequestBody(notContaining("\"cursor\""))
                : request.withRequestBody(matchingJsonPath("$.cursor", equalTo(cursor)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJson(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String body(List<Map<String, Object>> added, List<Map<String, Object>> modified, List<String> removed,
            String next, boolean more) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("accounts", List.of(account("acc-check", "Everyday", "depository", "checking", 1250.10, null),
                account("acc-card", "Card", "credit", "credit card", 300.00, 5000.00)));
        page.put("added", added);
        page.put("modified", modified);
        page.put("removed", removed.stream().map(id -> Map.of("transaction_id", id, "account_id", "acc-check")).toList());
        page.put("next_cursor", next);
        page.put("has_more", more);
        page.put("transactions_update_status", "HISTORICAL_UPDATE_COMPLETE");
        page.put("request_id", "req");
        try {
            return JSON.writeValueAsString(page);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> account(String id, String name, String type, String subtype, double current,
            Double limit) {
        Map<String, Object> balances = new HashMap<>();
        balances.put("current", current);
        balances.put("available", limit == null ? current : null);
        balances.put("limit", limit);
        balances.put("iso_currency_code", "GBP");
        balances.put("unofficial_currency_code", null);
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("account_id", id);
        account.put("balances", balances);
        account.put("mask", "0000");
        account.put("name", name);
        account.put("official_name", null);
        account.put("type", type);
        account.put("subtype", subtype);
        return account;
    }

    /** Transactions {prefix}-{from} … alternating between the two accounts, with Plaid's required fields. */
    private static List<Map<String, Object>> transactions(String prefix, int from, int count) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("account_id", i % 2 == 0 ? "acc-check" : "acc-card");
            t.put("amount", 4.50 + i);
            t.put("iso_currency_code", "GBP");
            t.put("unofficial_currency_code", null);
            t.put("date", "2026-11-" + String.format("%02d", 1 + i % 28));
            t.put("datetime", null);
            t.put("authorized_date", null);
            t.put("authorized_datetime", null);
            t.put("name", "Coffee " + i);
            t.put("merchant_name", "Costa");
            t.put("pending", false);
            t.put("pending_transaction_id", null);
            t.put("account_owner", null);
            t.put("transaction_id", prefix + "-" + i);
            t.put("payment_channel", "in store");
            t.put("personal_finance_category", Map.of("primary", "FOOD_AND_DRINK", "detailed",
                    "FOOD_AND_DRINK_COFFEE"));
            list.add(t);
        }
        return list;
    }

    private UUID connection() {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO bank.bank_connections (id, integration_id, user_id, provider, external_id) "
                        + "VALUES ($1, $2, 'alice', 'plaid', $3)")
                .execute(Tuple.of(id, UUID.randomUUID(), "item-" + id)).await().atMost(Duration.ofSeconds(10));
        return id;
    }

    private static String token() {
        return "access-sandbox-" + UUID.randomUUID();
    }

    private String cursor(UUID connection) {
        return row("SELECT sync_cursor FROM bank.bank_connections WHERE id = $1", connection).getString("sync_cursor");
    }

    private List<String> live(UUID connection) {
        List<String> ids = new ArrayList<>();
        pool.preparedQuery("SELECT t.provider_transaction_id FROM bank.transactions t JOIN bank.bank_accounts a "
                        + "ON a.id = t.account_id WHERE a.connection_id = $1 AND t.removed_at IS NULL")
                .execute(Tuple.of(connection)).await().atMost(Duration.ofSeconds(10))
                .forEach(row -> ids.add(row.getString(0)));
        return ids;
    }

    private Row row(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(10))
                .iterator().next();
    }

    private long count(String sql, Object... parameters) {
        return row(sql, parameters).getLong(0);
    }
}
