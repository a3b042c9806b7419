package io.tributary.bank.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Evaluates the user's alert rules on a connection's accounts inside a sync page's transaction.
 * An account's own preferences win over the user's defaults. What fires is recorded in
 * {@code balance_alerts}, whose unique indexes make an alert fire once.
 */
@ApplicationScoped
public class BalanceAlertRepository {

    /** The rules in force per account of the connection. */
    private static final String RULES = "WITH rules AS (SELECT a.id AS account_id, a.type, a.current_balance, "
            + "a.currency, coalesce(pa.balance_alerts_enabled, pu.balance_alerts_enabled, true) AS enabled, "
            + "coalesce(pa.low_balance_threshold, pu.low_balance_threshold) AS low, "
            + "coalesce(pa.large_transaction_threshold, pu.large_transaction_threshold) AS large "
            + "FROM bank.bank_accounts a "
            + "LEFT JOIN bank.banking_preferences pa ON pa.account_id = a.id AND pa.user_id = a.user_id "
            + "LEFT JOIN bank.banking_preferences pu ON pu.account_id IS NULL AND pu.user_id = a.user_id "
            + "WHERE a.connection_id = $1 AND a.deleted_at IS NULL) ";

    public record Fired(UUID alertId, UUID accountId, String rule, BigDecimal amount, BigDecimal threshold,
            String currency, String transactionId, Instant firedAt) {
    }

    /** Low balances (depository accounts under the threshold) and large transactions among {@code addedIds}. */
    public Uni<List<Fired>> evaluate(SqlConnection tx, UUID connectionId, List<String> addedIds) {
        Uni<List<Fired>> lowBalances = tx.preparedQuery(RULES
                        + ", recovered AS (UPDATE bank.balance_alerts s SET cleared_at = now() FROM rules r "
                        + "WHERE s.account_id = r.account_id AND s.rule = 'low_balance' AND s.cleared_at IS NULL "
                        + "AND (r.low IS NULL OR r.current_balance IS NULL OR r.current_balance >= r.low)) "
                        + "INSERT INTO bank.balance_alerts (id, account_id, rule, amount, threshold, currency) "
                        + "SELECT gen_random_uuid(), r.account_id, 'low_balance', r.current_balance, r.low, r.currency "
                        + "FROM rules r WHERE r.enabled AND r.type = 'depository' AND r.low IS NOT NULL "
                        + "AND r.current_balance < r.low ON CONFLICT DO NOTHING RETURNING *")
                .execute(Tuple.of(connectionId))
                .map(BalanceAlertRepository::fired);
        if (addedIds.isEmpty()) {
            return lowBalances;
        }
        // a posted transaction whose pending one already fired does not fire again
        return lowBalances.flatMap(low -> tx.preparedQuery(RULES
                        + "INSERT INTO bank.balance_alerts (id, account_id, rule, amount, threshold, currency, "
                        + "provider_transaction_id) SELECT gen_random_uuid(), t.account_id, 'large_transaction', "
                        + "-t.amount, r.large, t.currency, t.provider_transaction_id FROM bank.transactions t "
                        + "JOIN rules r ON r.account_id = t.account_id WHERE t.provider_transaction_id = ANY($2) "
                        + "AND t.removed_at IS NULL AND r.enabled AND r.large IS NOT NULL AND abs(t.amount) >= r.large "
                        + "AND NOT EXISTS (SELECT 1 FROM bank.balance_alerts x WHERE x.account_id = t.account_id "
                        + "AND x.provider_transaction_id = t.pending_transaction_id) "
                        + "ON CONFLICT DO NOTHING RETURNING *")
                .execute(Tuple.of(connectionId, addedIds.toArray(String[]::new)))
                .map(large -> {
                    List<Fired> all = new ArrayList<>(low);
                    all.addAll(fired(large));
                    return all;
                }));
    }

    private static List<Fired> fired(RowSet<Row> rows) {
        List<Fired> fired = new ArrayList<>();
        rows.forEach(row -> fired.add(new Fired(row.getUUID("id"), row.getUUID("account_id"), row.getString("rule"),
                row.getBigDecimal("amount"), row.getBigDecimal("threshold"), row.getString("currency"),
                row.getString("provider_transaction_id"), row.getOffsetDateTime("fired_at").toInstant())));
        return fired;
    }
}
