package io.tributary.bank.repository;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.tributary.testsupport.InfrastructureTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bank schema's own guarantees, checked against PostgreSQL: what no writer can get wrong. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
class BankSchemaTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 22, 9, 0, 0, 0, ZoneOffset.UTC);

    @Inject
    Pool pool;

    @Test
    void aNewCurrentBalanceTakesOverAndRecordsItsChange() {
        UUID account = account(connection("alice"), "alice", "depository", "checking", "100.00", null);

        balance(account, "current", "100.00");
        balance(account, "current", "150.50");
        balance(account, "available", "90.00");

        List<Row> current = rows("SELECT amount, previous_amount, change_amount, change_percentage FROM bank.account_balances "
                + "WHERE account_id = $1 AND balance_type = 'current' AND is_current", account);
        assertThat(current).hasSize(1);
        assertThat(current.get(0).getBigDecimal("amount")).isEqualByComparingTo("150.50");
        assertThat(current.get(0).getBigDecimal("previous_amount")).isEqualByComparingTo("100.00");
        assertThat(current.get(0).getBigDecimal("change_amount")).isEqualByComparingTo("50.50");
        assertThat(current.get(0).getBigDecimal("change_percentage")).isEqualByComparingTo("50.5");
        assertThat(count("SELECT count(*) FROM bank.account_balances WHERE account_id = $1", account)).isEqualTo(3);
        // the first of a type has nothing to compare with; a change from zero has no percentage
        assertThat(rows("SELECT previous_amount FROM bank.account_balances WHERE account_id = $1 "
                + "AND balance_type = 'available'", account).get(0).getValue("previous_amount")).isNull();
        balance(account, "pending", "0");
        balance(account, "pending", "12.34");
        Row fromZero = rows("SELECT change_amount, change_percentage FROM bank.account_balances WHERE account_id = $1 "
                + "AND balance_type = 'pending' AND is_current", account).get(0);
        assertThat(fromZero.getBigDecimal("change_amount")).isEqualByComparingTo("12.34");
        assertThat(fromZero.getValue("change_percentage")).isNull();
    }

    @Test
    void naturalKeysHoldAndMoneyIsExact() {
        UUID connection = connection("bob");
        UUID account = account(connection, "bob", "depository", "checking", "0", null);
        assertThatThrownBy(() -> sql("INSERT INTO bank.bank_accounts (id, connection_id, user_id, provider_account_id, "
                + "name, type, account_type, currency) SELECT $1, connection_id, user_id, provider_account_id, name, type, "
                + "account_type, currency FROM bank.bank_accounts WHERE id = $2", UUID.randomUUID(), account))
                .satisfies(violation("23505"));

        // a redelivered transaction updates the row it already has
        for (String amount : List.of("0.10", "0.20", "0.20")) {
            sql("INSERT INTO bank.transactions (id, account_id, user_id, provider_transaction_id, amount, currency, "
                    + "transaction_date, name) VALUES ($1, $2, 'bob', $3, $4, 'USD', DATE '2026-11-20', 'Coffee') "
                    + "ON CONFLICT (account_id, provider_transaction_id) DO UPDATE SET amount = EXCLUDED.amount",
                    UUID.randomUUID(), account, amount.equals("0.10") ? "tx-1" : "tx-2", new BigDecimal(amount));
        }
        assertThat(count("SELECT count(*) FROM bank.transactions WHERE account_id = $1", account)).isEqualTo(2);
        assertThat(rows("SELECT sum(amount) AS total FROM bank.transactions WHERE account_id = $1", account).get(0)
                .getBigDecimal("total")).isEqualTo(new BigDecimal("0.3000"));

        assertThatThrownBy(() -> sql("INSERT INTO bank.transactions (id, account_id, user_id, provider_transaction_id, "
                + "amount, currency, transaction_date, name) VALUES ($1, $2, 'bob', 'tx-3', 1, 'usd', CURRENT_DATE, 'x')",
                UUID.randomUUID(), account)).satisfies(violation("23514"));
        assertThatThrownBy(() -> sql("UPDATE bank.bank_accounts SET masked_account_number = '12345678' WHERE id = $1",
                account)).as("a full account number is never stored").satisfies(violation("23514"));
        sql("UPDATE bank.bank_accounts SET masked_account_number = '****5678' WHERE id = $1", account);
        assertThatThrownBy(() -> sql("UPDATE bank.bank_accounts SET type = 'crypto' WHERE id = $1", account))
                .satisfies(violation("23514"));
    }

    @Test
    void overdraftAndAvailableCreditAreDerivedFromTheBalances() {
        UUID connection = connection("carol");
        UUID checking = account(connection, "carol", "depository", "checking", "-5.00", null);
        UUID card = account(connection, "carol", "credit", "credit_card", "1200.00", "5000.00");

        Row overdrawn = rows("SELECT is_overdrawn, available_credit FROM bank.bank_accounts WHERE id = $1", checking).get(0);
        assertThat(overdrawn.getBoolean("is_overdrawn")).isTrue();
        assertThat(overdrawn.getValue("available_credit")).isNull();
        Row credit = rows("SELECT is_overdrawn, available_credit FROM bank.bank_accounts WHERE id = $1", card).get(0);
        assertThat(credit.getBoolean("is_overdrawn")).isFalse();
        assertThat(credit.getBigDecimal("available_credit")).isEqualByComparingTo("3800.00");
    }

    @Test
    void viewsSummariseAUsersAccountsAndTheirSyncs() {
        String user = "dave-" + UUID.randomUUID();
        UUID connection = connection(user);
        UUID checking = account(connection, user, "depository", "checking", "1000.00", null);
        account(connection, user, "credit", "credit_card", "200.00", "1000.00");
        UUID deleted = account(connection, user, "depository", "savings", "999.00", null);
        sql("UPDATE bank.bank_accounts SET deleted_at = now() WHERE id = $1", deleted);
        sql("INSERT INTO bank.banking_preferences (id, user_id, account_id, account_alias, hidden) "
                + "VALUES ($1, $2, $3, 'Bills', true)", UUID.randomUUID(), user, checking);

        Row summary = rows("SELECT accounts, assets, liabilities, net_worth FROM bank.user_account_summary "
                + "WHERE user_id = $1", user).get(0);
        assertThat(summary.getLong("accounts")).isEqualTo(2);
        assertThat(summary.getBigDecimal("assets")).isEqualByComparingTo("1000.00");
        assertThat(summary.getBigDecimal("liabilities")).isEqualByComparingTo("200.00");
        assertThat(summary.getBigDecimal("net_worth")).isEqualByComparingTo("800.00");
        Row active = rows("SELECT account_alias, hidden FROM bank.active_accounts WHERE id = $1", checking).get(0);
        assertThat(active.getString("account_alias")).isEqualTo("Bills");
        assertThat(active.getBoolean("hidden")).isTrue();
        assertThat(count("SELECT count(*) FROM bank.active_accounts WHERE id = $1", deleted)).isZero();

        run(connection, "completed", NOW, NOW.plusSeconds(1), 10);
        run(connection, "completed", NOW.plusMinutes(1), NOW.plusMinutes(1).plusSeconds(3), 5);
        run(connection, "failed", NOW.plusMinutes(2), NOW.plusMinutes(2).plusSeconds(1), 0);
        Row statistics = rows("SELECT total_syncs, successful_syncs, failed_syncs, average_duration_ms, records_added "
                + "FROM bank.account_sync_statistics WHERE account_id = $1", checking).get(0);
        assertThat(statistics.getLong("total_syncs")).isEqualTo(3);
        assertThat(statistics.getLong("successful_syncs")).isEqualTo(2);
        assertThat(statistics.getLong("failed_syncs")).isEqualTo(1);
        assertThat(statistics.getLong("average_duration_ms")).isEqualTo(2000);
        assertThat(statistics.getLong("records_added")).isEqualTo(15);
    }

    @Test
    void aSyncJobIsRunOnceAndAConnectionRunsOneSyncAtATime() {
        UUID connection = connection("erin");
        UUID job = UUID.randomUUID();
        sql("INSERT INTO bank.transaction_syncs (id, connection_id, sync_job_id, sync_type, status) "
                + "VALUES ($1, $2, $3, 'full', 'running')", UUID.randomUUID(), connection, job);
        assertThatThrownBy(() -> sql("INSERT INTO bank.transaction_syncs (id, connection_id, sync_job_id, sync_type, "
                + "status) VALUES ($1, $2, $3, 'full', 'completed')", UUID.randomUUID(), connection, job))
                .as("a redelivered sync-requested").satisfies(violation("23505"));
        assertThatThrownBy(() -> sql("INSERT INTO bank.transaction_syncs (id, connection_id, sync_type, status) "
                + "VALUES ($1, $2, 'webhook', 'pending')", UUID.randomUUID(), connection))
                .as("a second active run").satisfies(violation("23505"));
    }

    @Test
    void systemCategoriesMapPlaidsAndUsersAddTheirOwn() {
        assertThat(count("SELECT count(*) FROM bank.categories WHERE user_id IS NULL")).isEqualTo(16);
        assertThat(count("SELECT count(*) FROM bank.categories WHERE provider_code = 'FOOD_AND_DRINK' "
                + "AND kind = 'expense'")).isOne();
        String user = "frank-" + UUID.randomUUID();
        sql("INSERT INTO bank.categories (id, user_id, name, kind) VALUES ($1, $2, 'Income', 'income')",
                UUID.randomUUID(), user);
        assertThatThrownBy(() -> sql("INSERT INTO bank.categories (id, user_id, name, kind) VALUES ($1, $2, 'income', "
                + "'income')", UUID.randomUUID(), user)).satisfies(violation("23505"));
        assertThatThrownBy(() -> sql("INSERT INTO bank.banking_preferences (id, user_id, alert_channels) "
                + "VALUES ($1, $2, ARRAY['pigeon'])", UUID.randomUUID(), user)).satisfies(violation("23514"));
    }

    private UUID connection(String user) {
        UUID id = UUID.randomUUID();
        sql("INSERT INTO bank.bank_connections (id, integration_id, user_id, provider, external_id) "
                + "VALUES ($1, $2, $3, 'plaid', $4)", id, UUID.randomUUID(), user, "item-" + id);
        return id;
    }

    private UUID account(UUID connection, String user, String type, String accountType, String current, String limit) {
        UUID id = UUID.randomUUID();
        sql("INSERT INTO bank.bank_accounts (id, connection_id, user_id, provider_account_id, name, type, account_type, "
                + "current_balance, credit_limit, currency) VALUES ($1, $2, $3, $4, 'Account', $5, $6, $7, $8, 'USD')",
                id, connection, user, "acc-" + id, type, accountType, new BigDecimal(current),
                limit == null ? null : new BigDecimal(limit));
        return id;
    }

    private void balance(UUID account, String type, String amount) {
        sql("INSERT INTO bank.account_balances (id, account_id, balance_type, amount, currency, as_of) "
                + "VALUES ($1, $2, $3, $4, 'USD', now())", UUID.randomUUID(), account, type, new BigDecimal(amount));
    }

    private void run(UUID connection, String status, OffsetDateTime started, OffsetDateTime completed, int added) {
        sql("INSERT INTO bank.transaction_syncs (id, connection_id, sync_type, status, started_at, completed_at, "
                + "records_added) VALUES ($1, $2, 'incremental', $3, $4, $5, $6)", UUID.randomUUID(), connection, status,
                started, completed, added);
    }

    private RowSet<Row> sql(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(10));
    }

    private List<Row> rows(String sql, Object... parameters) {
        List<Row> rows = new ArrayList<>();
        sql(sql, parameters).forEach(rows::add);
        return rows;
    }

    private long count(String sql, Object... parameters) {
        return rows(sql, parameters).get(0).getLong(0);
    }

    private static java.util.function.Consumer<Throwable> violation(String sqlState) {
        return thrown -> {
            Throwable cause = thrown;
            while (cause != null && !(cause instanceof PgException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("a PostgreSQL error").isInstanceOf(PgException.class);
            assertThat(((PgException) cause).getSqlState()).isEqualTo(sqlState);
        };
    }
}
