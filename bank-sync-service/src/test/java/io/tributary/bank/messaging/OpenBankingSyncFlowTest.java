package io.tributary.bank.messaging;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
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
import io.tributary.contracts.event.SyncedTransaction;
import io.tributary.contracts.event.TransactionChange;
import io.tributary.contracts.event.TransactionsSynced;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** A UK Open Banking bank (HSBC) synced on sync-requested, with the ASPSP stood in for by WireMock (providers.md 2.2). */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(PlaidStubTestResource.class)
class OpenBankingSyncFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String AIS = "/hsbc/open-banking/v3.1/aisp";

    WireMockServer plaid;

    @Inject
    Pool pool;

    @Test
    void accountsBalancesAndTransactionsFollowLinksNextWithOverlapsAndSignsFromTheIndicator() {
        UUID integration = UUID.randomUUID();
        String token = "ob-access-" + UUID.randomUUID();
        PlaidStubs.credential(plaid, integration, token, "unused");
        stubBank(token);

        request(integration, SyncType.FULL);
        // three pages: acc-1's two (Links.Next) and acc-2's one; the last page's report is "completed"
        List<SyncStatus> reports = reports(integration, 4);
        assertThat(reports).extracting(SyncStatus::state).containsExactly(SyncState.RUNNING, SyncState.PROGRESS,
                SyncState.PROGRESS, SyncState.COMPLETED);
        assertThat(reports.get(3).recordsAdded()).isEqualTo(4);

        UUID connection = row("SELECT id FROM bank.bank_connections WHERE integration_id = $1", integration)
                .getUUID("id");
        assertThat(row("SELECT sync_cursor FROM bank.bank_connections WHERE id = $1", connection)
                .getString("sync_cursor")).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        Row checking = row("SELECT account_type, current_balance, available_balance, mask FROM bank.bank_accounts "
                + "WHERE connection_id = $1 AND provider_account_id = 'acc-1'", connection);
        assertThat(checking.getString("account_type")).isEqualTo("checking");
        assertThat(checking.getBigDecimal("current_balance")).isEqualByComparingTo("1200.00");
        assertThat(checking.getBigDecimal("available_balance")).isEqualByComparingTo("1230.50");
        assertThat(checking.getString("mask")).isEqualTo("5678");
        Row card = row("SELECT account_type, current_balance FROM bank.bank_accounts WHERE connection_id = $1 "
                + "AND provider_account_id = 'acc-2'", connection);
        assertThat(card.getString("account_type")).isEqualTo("credit_card");
        assertThat(card.getBigDecimal("current_balance")).isEqualByComparingTo("250.00");
        // the overlapping T2 is stored once; debit out is positive in the schema, credit in negative
        assertThat(amounts(connection)).containsExactlyInAnyOrder("T1 4.5000", "T2 -2500.0000", "T3 20.0000",
                "ob- 60.0000");
        assertThat(row("SELECT pending FROM bank.transactions t JOIN bank.bank_accounts a ON a.id = t.account_id "
                + "WHERE a.connection_id = $1 AND t.provider_transaction_id = 'T3'", connection).getBoolean("pending"))
                .isTrue();

        // the next run reads again from the saved date less the overlap, and nothing is new
        request(integration, SyncType.INCREMENTAL);
        List<SyncStatus> second = reports(integration, 8);
        assertThat(second.get(7).state()).isEqualTo(SyncState.COMPLETED);
        assertThat(second.get(7).recordsAdded()).isZero();
        assertThat(second.get(7).recordsUpdated()).isZero();
        assertThat(amounts(connection)).hasSize(4);
    }

    @Test
    void aPendingTransactionTheBankBooksUnderANewIdLeavesNoPendingRowBehind() {
        UUID integration = UUID.randomUUID();
        String token = "ob-pending-" + UUID.randomUUID();
        PlaidStubs.credential(plaid, integration, token, "unused");
        stubBank(token);
        request(integration, SyncType.FULL);
        assertThat(reports(integration, 4).get(3).state()).isEqualTo(SyncState.COMPLETED);

        // the next day the bank lists T3 booked as T3-B, and the pending T3 no more
        plaid.stubFor(bank(AIS + "/accounts/acc-1/transactions", token).withQueryParam("pg", equalTo("2"))
                .willReturn(json("{\"Data\":{\"Transaction\":[" + transaction("T2", "acc-1", "Credit", "2500.00",
                        "Booked") + "," + transaction("T3-B", "acc-1", "Debit", "20.00", "Booked") + "]},"
                        + "\"Links\":{\"Self\":\"/transactions?pg=2\"},\"Meta\":{}}")));
        request(integration, SyncType.INCREMENTAL);

        SyncStatus completed = reports(integration, 8).get(7);
        assertThat(completed.state()).isEqualTo(SyncState.COMPLETED);
        assertThat(completed.recordsAdded()).isEqualTo(1);
        assertThat(completed.recordsDeleted()).isEqualTo(1);
        UUID connection = row("SELECT id FROM bank.bank_connections WHERE integration_id = $1", integration)
                .getUUID("id");
        assertThat(amounts(connection, "AND t.removed_at IS NULL AND a.provider_account_id = 'acc-1'"))
                .containsExactlyInAnyOrder("T1 4.5000", "T2 -2500.0000", "T3-B 20.0000");
        // consumers are told of the removal like any other
        assertThat(KafkaTopics.read(Topics.TRANSACTIONS_SYNCED, Integer.MAX_VALUE,
                        record -> record.key().equals(integration.toString()), Duration.ofSeconds(5)).stream()
                .map(record -> EventCodec.fromJson(record.value(), TransactionsSynced.class))
                .flatMap(batch -> batch.transactions().stream())
                .filter(change -> change.change() == TransactionChange.REMOVED)
                .map(SyncedTransaction::externalId).toList()).containsExactly("T3");
    }

    @Test
    void aConsentTheBankNoLongerHonoursFailsTheJobAndAsksForReauthentication() {
        UUID integration = UUID.randomUUID();
        String token = "ob-expired-" + UUID.randomUUID();
        PlaidStubs.credential(plaid, integration, token, "unused");
        plaid.stubFor(get(urlPathEqualTo(AIS + "/accounts")).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                        .withHeader("x-fapi-interaction-id", UUID.randomUUID().toString())
                        .withBody("{\"Code\":\"403 Forbidden\",\"Message\":\"Consent revoked\",\"Errors\":["
                                + "{\"ErrorCode\":\"UK.OBIE.Resource.InvalidConsentStatus\",\"Message\":\"revoked\"}]}")));

        request(integration, SyncType.FULL);

        SyncStatus failed = reports(integration, 2).get(1);
        assertThat(failed.state()).isEqualTo(SyncState.FAILED);
        assertThat(failed.errorCode()).isEqualTo("reauth_required");
        assertThat(failed.errorMessage()).contains("InvalidConsentStatus").doesNotContain(token);
        assertThat(row("SELECT requires_reauth FROM bank.bank_connections WHERE integration_id = $1", integration)
                .getBoolean("requires_reauth")).isTrue();
    }

    private void stubBank(String token) {
        plaid.stubFor(bank(AIS + "/accounts", token).willReturn(json("""
                {"Data":{"Account":[
                  {"AccountId":"acc-1","Status":"Enabled","Currency":"GBP","AccountType":"Personal",
                   "AccountSubType":"CurrentAccount","Nickname":"Everyday","Account":[{"SchemeName":
                   "UK.OBIE.SortCodeAccountNumber","Identification":"40400412345678","Name":"Mr A Smith"}]},
                  {"AccountId":"acc-2","Status":"Enabled","Currency":"GBP","AccountType":"Personal",
                   "AccountSubType":"CreditCard","Description":"Card"}]},
                 "Links":{"Self":"/accounts"},"Meta":{"TotalPages":1}}""")));
        plaid.stubFor(bank(AIS + "/accounts/acc-1/balances", token).willReturn(json("""
                {"Data":{"Balance":[
                  {"AccountId":"acc-1","CreditDebitIndicator":"Credit","Type":"InterimAvailable",
                   "DateTime":"2026-11-22T08:00:00+00:00","Amount":{"Amount":"1230.50","Currency":"GBP"}},
                  {"AccountId":"acc-1","CreditDebitIndicator":"Credit","Type":"ClosingBooked",
                   "DateTime":"2026-11-21T23:59:59+00:00","Amount":{"Amount":"1200.00","Currency":"GBP"}}]},
                 "Links":{"Self":"/balances"},"Meta":{}}""")));
        plaid.stubFor(bank(AIS + "/accounts/acc-2/balances", token).willReturn(json("""
                {"Data":{"Balance":[{"AccountId":"acc-2","CreditDebitIndicator":"Debit","Type":"ClosingBooked",
                   "DateTime":"2026-11-21T23:59:59+00:00","Amount":{"Amount":"250.00","Currency":"GBP"}}]},
                 "Links":{"Self":"/balances"},"Meta":{}}""")));
        String next = plaid.baseUrl() + AIS + "/accounts/acc-1/transactions?pg=2";
        plaid.stubFor(bank(AIS + "/accounts/acc-1/transactions", token)
                .withQueryParam("fromBookingDateTime", matching("\\d{4}-\\d{2}-\\d{2}T00:00:00"))
                .withQueryParam("pg", absent())
                .willReturn(json("{\"Data\":{\"Transaction\":[" + transaction("T1", "acc-1", "Debit", "4.50", "Booked")
                        + "," + transaction("T2", "acc-1", "Credit", "2500.00", "Booked") + "]},"
                        + "\"Links\":{\"Self\":\"/transactions\",\"Next\":\"" + next + "\"},\"Meta\":{}}")));
        plaid.stubFor(bank(AIS + "/accounts/acc-1/transactions", token).withQueryParam("pg", equalTo("2"))
                .willReturn(json("{\"Data\":{\"Transaction\":[" + transaction("T2", "acc-1", "Credit", "2500.00",
                        "Booked") + "," + transaction("T3", "acc-1", "Debit", "20.00", "Pending") + ","
                        + transaction("T9", "acc-1", "Debit", "1.00", "Rejected") + "]},"
                        + "\"Links\":{\"Self\":\"/transactions?pg=2\"},\"Meta\":{}}")));
        plaid.stubFor(bank(AIS + "/accounts/acc-2/transactions", token).willReturn(json("{\"Data\":{\"Transaction\":["
                + transaction(null, "acc-2", "Debit", "60.00", "Booked") + "]},\"Links\":{\"Self\":\"/t\"},\"Meta\":{}}")));
    }

    private static MappingBuilder bank(String path, String token) {
        return get(urlPathEqualTo(path)).withHeader("Authorization", equalTo("Bearer " + token))
                .withHeader("x-fapi-interaction-id", matching("[0-9a-f-]{36}"));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("x-fapi-interaction-id", UUID.randomUUID().toString()).withBody(body);
    }

    private static String transaction(String id, String account, String indicator, String amount, String status) {
        return "{" + (id == null ? "" : "\"TransactionId\":\"" + id + "\",") + "\"AccountId\":\"" + account
                + "\",\"CreditDebitIndicator\":\"" + indicator + "\",\"Status\":\"" + status
                + "\",\"BookingDateTime\":\"2026-11-20T10:00:00+00:00\",\"TransactionInformation\":\"Purchase "
                + (id == null ? "card" : id) + "\",\"Amount\":{\"Amount\":\"" + amount + "\",\"Currency\":\"GBP\"}}";
    }

    private static void request(UUID integration, SyncType type) {
        SyncRequested request = new SyncRequested(UUID.randomUUID(), integration, "hana", "hsbc",
                IntegrationCategory.BANK, type, SyncTrigger.SCHEDULED, Instant.now());
        KafkaTopics.publish(Topics.SYNC_REQUESTED, integration.toString(), EventCodec.toJson(request),
                KafkaTopics.cloudEventHeaders(UUID.randomUUID().toString(), EventType.SYNC_REQUESTED.cloudEventType()));
    }

    private static List<SyncStatus> reports(UUID integration, int expected) {
        return KafkaTopics.read(Topics.SYNC_STATUS, expected, record -> record.key().equals(integration.toString()),
                WAIT).stream().map(record -> EventCodec.fromJson(record.value(), SyncStatus.class)).toList();
    }

    private List<String> amounts(UUID connection) {
        return amounts(connection, "");
    }

    /** "id amount" of the connection's transactions, {@code filter} an SQL condition on t and a to add. */
    private List<String> amounts(UUID connection, String filter) {
        List<String> amounts = new ArrayList<>();
        pool.preparedQuery("SELECT t.provider_transaction_id, t.amount FROM bank.transactions t JOIN bank.bank_accounts a "
                        + "ON a.id = t.account_id WHERE a.connection_id = $1 " + filter)
                .execute(Tuple.of(connection)).await().atMost(Duration.ofSeconds(10))
                .forEach(row -> {
                    String id = row.getString(0);
                    amounts.add((id.startsWith("ob-") ? "ob-" : id) + " " + row.getBigDecimal(1).toPlainString());
                });
        return amounts;
    }

    private Row row(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(10))
                .iterator().next();
    }
}
