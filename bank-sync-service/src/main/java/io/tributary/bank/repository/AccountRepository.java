package io.tributary.bank.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The caller's accounts and their balance history; every query is scoped to the owner. */
@ApplicationScoped
public class AccountRepository {

    private static final String COLUMNS = "id, connection_id, provider, institution_name, requires_reauth, "
            + "provider_account_id, name, official_name, mask, type, subtype, account_type, status, current_balance, "
            + "available_balance, credit_limit, available_credit, is_overdrawn, currency, account_alias, hidden, "
            + "updated_at";

    private final Pool pool;

    public AccountRepository(Pool pool) {
        this.pool = pool;
    }

    public record Account(UUID id, UUID connectionId, String provider, String institutionName, boolean requiresReauth,
            String providerAccountId, String name, String officialName, String mask, String type, String subtype,
            String accountType, String status, BigDecimal currentBalance, BigDecimal availableBalance,
            BigDecimal creditLimit, BigDecimal availableCredit, boolean overdrawn, String currency, String alias,
            boolean hidden, Instant updatedAt) {
    }

    public record Balance(UUID id, String balanceType, BigDecimal amount, String currency, Instant asOf,
            boolean current, String source, BigDecimal previousAmount, BigDecimal changeAmount,
            BigDecimal changePercentage) {
    }

    public Uni<List<Account>> list(String userId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM bank.active_accounts WHERE user_id = $1 "
                        + "ORDER BY institution_name NULLS LAST, name, id")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<Account> accounts = new ArrayList<>();
                    rows.forEach(row -> accounts.add(account(row)));
                    return accounts;
                });
    }

    /** The caller's account, or null: another user's is as absent as a missing one. */
    public Uni<Account> find(String userId, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM bank.active_accounts WHERE user_id = $1 AND id = $2")
                .execute(Tuple.of(userId, id))
                .map(rows -> rows.iterator().hasNext() ? account(rows.iterator().next()) : null);
    }

    /** Hides the account and its transactions from every list; syncs keep it up to date but never bring it back. */
    public Uni<Boolean> delete(String userId, UUID id) {
        return pool.preparedQuery("UPDATE bank.bank_accounts SET deleted_at = now(), updated_at = now(), "
                        + "version = version + 1 WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL")
                .execute(Tuple.of(id, userId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** History newest first, within [from, to), of one type or all. */
    public Uni<List<Balance>> balances(UUID accountId, String type, Instant from, Instant to, int limit) {
        return pool.preparedQuery("SELECT id, balance_type, amount, currency, as_of, is_current, source, "
                        + "previous_amount, change_amount, change_percentage FROM bank.account_balances "
                        + "WHERE account_id = $1 AND ($2::text IS NULL OR balance_type = $2) "
                        + "AND ($3::timestamptz IS NULL OR as_of >= $3) AND ($4::timestamptz IS NULL OR as_of < $4) "
                        + "ORDER BY as_of DESC, created_at DESC LIMIT $5")
                .execute(Tuple.of(accountId, type, offset(from), offset(to), limit))
                .map(rows -> {
                    List<Balance> balances = new ArrayList<>();
                    rows.forEach(row -> balances.add(new Balance(row.getUUID("id"), row.getString("balance_type"),
                            row.getBigDecimal("amount"), row.getString("currency"),
                            row.getOffsetDateTime("as_of").toInstant(), row.getBoolean("is_current"),
                            row.getString("source"), row.getBigDecimal("previous_amount"),
                            row.getBigDecimal("change_amount"), row.getBigDecimal("change_percentage"))));
                    return balances;
                });
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Account account(Row row) {
        return new Account(row.getUUID("id"), row.getUUID("connection_id"), row.getString("provider"),
                row.getString("institution_name"), row.getBoolean("requires_reauth"),
                row.getString("provider_account_id"), row.getString("name"), row.getString("official_name"),
                row.getString("mask"), row.getString("type"), row.getString("subtype"), row.getString("account_type"),
                row.getString("status"), row.getBigDecimal("current_balance"), row.getBigDecimal("available_balance"),
                row.getBigDecimal("credit_limit"), row.getBigDecimal("available_credit"),
                Boolean.TRUE.equals(row.getBoolean("is_overdrawn")), row.getString("currency"),
                row.getString("account_alias"), row.getBoolean("hidden"),
                row.getOffsetDateTime("updated_at").toInstant());
    }
}
