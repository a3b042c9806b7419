package io.tributary.bank.service;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.tributary.bank.PlaidStubTestResource;
import io.tributary.bank.PlaidStubs;
import io.tributary.bank.client.PlaidApiException;
import io.tributary.testsupport.InfrastructureTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plaid's /transactions/sync applied to the bank schema, with Plaid stood in for by WireMock (providers.md 2.1, 4). */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(PlaidStubTestResource.class)
class PlaidSyncTest {

    WireMockServer plaid;

    @Inject
    PlaidSync sync;

    @Inject
    Pool pool;

    @Inject
    io.tributary.bank.repository.BankSyncRepository repository;

    @Test
    void aFirstSyncReadsEveryPageAndSavesTheCursorOfTheLast() {
        String token = PlaidStubs.token();
        UUID connection = connection();
        PlaidStubs.page(plaid, token, null, PlaidStubs.transactions("a", 0, 4), List.of(), List.of(), "c1", true);
        PlaidStubs.page(plaid, token, "c1", PlaidStubs.transactions("a", 4, 4), List.of(), List.of(), "c2", true);
        PlaidStubs.page(plaid, token, "c2", PlaidStubs.transactions("a", 8, 4), List.of(), List.of(), "c3", false);

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
        String token = PlaidStubs.token();
        UUID connection = connection();
        List<Map<String, Object>> first = PlaidStubs.transactions("b", 0, 3);
        first.get(2).put("pending", true);
        PlaidStubs.page(plaid, token, null, first, List.of(), List.of(), "c1", false);
        run(connection, token);

        Map<String, Object> changed = PlaidStubs.transactions("b", 1, 1).get(0);
        changed.put("amount", 99.99);
        Map<String, Object> posted = PlaidStubs.transactions("b", 3, 1).get(0);
        posted.put("pending_transaction_id", "b-2");
        PlaidStubs.page(plaid, token, "c1", List.of(posted), List.of(changed), List.of("b-0", "b-2"), "c2", false);

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
        String token = PlaidStubs.token();
        UUID connection = connection();
        PlaidStubs.page(plaid, token, null, PlaidStubs.transactions("m", 0, 3), List.of(), List.of(), "m1", true);
        // the second page first fails: Plaid's data moved under the run
        plaid.stubFor(PlaidStubs.request(token, "m1").inScenario("mutation-" + token).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("restarted")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error_type\":\"TRANSACTIONS_ERROR\",\"error_code\":"
                                + "\"TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION\",\"error_message\":\"Underlying "
                                + "transaction data changed since last page was fetched.\",\"display_message\":null,"
                                + "\"request_id\":\"r1\"}")));
        plaid.stubFor(PlaidStubs.request(token, "m1").inScenario("mutation-" + token).whenScenarioStateIs("restarted")
                .willReturn(PlaidStubs.okJson(PlaidStubs.body(PlaidStubs.transactions("m", 3, 3), List.of(), List.of(), "m2", false))));

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
        String token = PlaidStubs.token();
        UUID connection = connection();
        PlaidStubs.page(plaid, token, null, PlaidStubs.transactions("x", 0, 4), List.of(), List.of(), "x1", true);
        plaid.stubFor(PlaidStubs.request(token, "x1").willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"error_type\":\"API_ERROR\","
                        + "\"error_code\":\"INTERNAL_SERVER_ERROR\",\"error_message\":\"an unexpected error occurred\","
                        + "\"display_message\":null,\"request_id\":\"r2\"}")));

        assertThatThrownBy(() -> run(connection, token)).isInstanceOf(PlaidApiException.class)
                .hasMessageContaining("INTERNAL_SERVER_ERROR").hasMessageNotContaining(token);
        // the first page is committed; the cursor is not moved until the run ends
        assertThat(live(connection)).hasSize(4);
        assertThat(cursor(connection)).isNull();

        PlaidStubs.page(plaid, token, "x1", PlaidStubs.transactions("x", 4, 4), List.of(), List.of(), "x2", false);
        PlaidSync.Outcome outcome = run(connection, token);

        assertThat(live(connection)).containsExactlyInAnyOrder("x-0", "x-1", "x-2", "x-3", "x-4", "x-5", "x-6", "x-7");
        assertThat(count("SELECT count(*) FROM bank.transactions t JOIN bank.bank_accounts a ON a.id = t.account_id "
                + "WHERE a.connection_id = $1", connection)).isEqualTo(8);
        assertThat(outcome.added()).isEqualTo(4);
        // the first page, read again, changed nothing and is not counted as updated
        assertThat(outcome.updated()).isZero();
        assertThat(cursor(connection)).isEqualTo("x2");
    }

    @Test
    void pagesWrittenSideBySideReachTheListenerAndTheCursorInPageOrder() {
        String token = PlaidStubs.token();
        UUID connection = connection();
        PlaidStubs.page(plaid, token, null, PlaidStubs.transactions("o", 0, 3), List.of(), List.of(), "o1", true);
        for (int page = 1; page < 6; page++) {
            PlaidStubs.page(plaid, token, "o" + page, PlaidStubs.transactions("o", page * 3, 3), List.of(), List.of(),
                    "o" + (page + 1), page < 5);
        }
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        // what the listener's transaction sees: every earlier page committed, whatever ran beside it
        List<Long> visibleBefore = java.util.Collections.synchronizedList(new ArrayList<>());

        PlaidSync.Outcome outcome = repository.connection(connection)
                .flatMap(state -> sync.run(state, token, (tx, page, counts, last) -> tx.preparedQuery(
                                "SELECT count(*) FROM bank.transactions t JOIN bank.bank_accounts a ON a.id = t.account_id "
                                        + "WHERE a.connection_id = $1").execute(Tuple.of(connection))
                        .invoke(rows -> {
                            seen.add(page.nextCursor() + (last ? " last" : ""));
                            visibleBefore.add(rows.iterator().next().getLong(0));
                        }).replaceWithVoid()))
                .await().atMost(Duration.ofSeconds(30));

        assertThat(seen).containsExactly("o1", "o2", "o3", "o4", "o5", "o6 last");
        // each listener sees its own page and all before it: 3, 6, 9, …
        assertThat(visibleBefore).containsExactly(3L, 6L, 9L, 12L, 15L, 18L);
        assertThat(outcome.added()).isEqualTo(18);
        assertThat(outcome.pages()).isEqualTo(6);
        assertThat(live(connection)).hasSize(18);
        assertThat(cursor(connection)).isEqualTo("o6");
    }

    @Test
    void aPageThatFailsTakesThePageWrittenBesideItDownWithItAndTheCursorStays() {
        String token = PlaidStubs.token();
        UUID connection = connection();
        PlaidStubs.page(plaid, token, null, PlaidStubs.transactions("f", 0, 2), List.of(), List.of(), "f1", true);
        PlaidStubs.page(plaid, token, "f1", PlaidStubs.transactions("f", 2, 2), List.of(), List.of(), "f2", true);
        List<Map<String, Object>> broken = PlaidStubs.transactions("f", 4, 2);
        // beyond numeric(19,4): PostgreSQL refuses the page
        broken.get(1).put("amount", 1e20);
        PlaidStubs.page(plaid, token, "f2", broken, List.of(), List.of(), "f3", true);
        PlaidStubs.page(plaid, token, "f3", PlaidStubs.transactions("f", 6, 2), List.of(), List.of(), "f4", false);

        assertThatThrownBy(() -> run(connection, token)).hasMessageContaining("numeric");

        // the pages before the broken one committed; the broken one and the one after it did not
        assertThat(live(connection)).containsExactlyInAnyOrder("f-0", "f-1", "f-2", "f-3");
        assertThat(cursor(connection)).isNull();
    }

    private PlaidSync.Outcome run(UUID connection, String token) {
        return sync.run(connection, token).await().atMost(Duration.ofSeconds(30));
    }

    private UUID connection() {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO bank.bank_connections (id, integration_id, user_id, provider, external_id) "
                        + "VALUES ($1, $2, 'alice', 'plaid', $3)")
                .execute(Tuple.of(id, UUID.randomUUID(), "item-" + id)).await().atMost(Duration.ofSeconds(10));
        return id;
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
