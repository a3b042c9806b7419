package io.tributary.bank.repository;

import io.smallrye.mutiny.Uni;
import io.tributary.bank.client.PlaidClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The sync engines' writes, on the reactive SQL client inside the caller's transaction: a page's
 * accounts and transactions go in as arrays, one statement each, upserted on their natural keys,
 * so a page applied twice (a restart, a crash between pages) changes nothing the second time.
 */
@ApplicationScoped
public class BankSyncRepository {

    private final Pool pool;

    public BankSyncRepository(Pool pool) {
        this.pool = pool;
    }

    public record ConnectionState(UUID id, String userId, String provider, String cursor) {
    }

    /** Rows a write inserted and updated. */
    public record Written(int inserted, int updated) {
    }

    public Uni<ConnectionState> connection(UUID id) {
        return pool.preparedQuery("SELECT id, user_id, provider, sync_cursor FROM bank.bank_connections WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new IllegalArgumentException("No bank connection " + id);
                    }
                    Row row = rows.iterator().next();
                    return new ConnectionState(row.getUUID("id"), row.getString("user_id"), row.getString("provider"),
                            row.getString("sync_cursor"));
                });
    }

    /** An account as the API shows it. */
    public record AccountView(UUID id, String providerAccountId, String name, String mask, String type,
            String subtype, String accountType, BigDecimal currentBalance, BigDecimal availableBalance,
            String currency) {
    }

    /**
     * The connection of a just-linked Item: created, or reactivated when the same Item is linked
     * again to the same integration. Answers null when the Item belongs to another integration; a
     * second Item for an integration that has one breaks the one-per-integration index (23505).
     */
    public Uni<ConnectionState> linkConnection(SqlConnection tx, UUID integrationId, String userId, String itemId,
            String institutionId, String institutionName) {
        return tx.preparedQuery("INSERT INTO bank.bank_connections AS b (id, integration_id, user_id, provider, "
                        + "external_id, institution_id, institution_name) VALUES (gen_random_uuid(), $1, $2, 'plaid', "
                        + "$3, $4, $5) ON CONFLICT (provider, external_id) DO UPDATE SET is_active = true, "
                        + "requires_reauth = false, error_count = 0, last_error = NULL, last_error_at = NULL, "
                        + "institution_id = coalesce(EXCLUDED.institution_id, b.institution_id), "
                        + "institution_name = coalesce(EXCLUDED.institution_name, b.institution_name), "
                        + "updated_at = now(), version = b.version + 1 "
                        + "WHERE b.integration_id = EXCLUDED.integration_id AND b.user_id = EXCLUDED.user_id "
                        + "RETURNING id, user_id, provider, sync_cursor")
                .execute(Tuple.of(integrationId, userId, itemId, institutionId, institutionName))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new ConnectionState(row.getUUID("id"), row.getString("user_id"), row.getString("provider"),
                            row.getString("sync_cursor"));
                });
    }

    /** Whether the integration's connection needs its login repaired (Link in update mode). */
    public Uni<Boolean> reauthRequired(UUID integrationId) {
        return pool.preparedQuery("SELECT requires_reauth FROM bank.bank_connections WHERE integration_id = $1 "
                        + "AND is_active")
                .execute(Tuple.of(integrationId))
                .map(rows -> rows.iterator().hasNext() && rows.iterator().next().getBoolean("requires_reauth"));
    }

    public Uni<List<AccountView>> accountsOf(SqlConnection tx, UUID connectionId) {
        return tx.preparedQuery("SELECT id, provider_account_id, name, mask, type, subtype, account_type, "
                        + "current_balance, available_balance, currency FROM bank.bank_accounts "
                        + "WHERE connection_id = $1 AND deleted_at IS NULL ORDER BY name, id")
                .execute(Tuple.of(connectionId))
                .map(rows -> {
                    List<AccountView> accounts = new java.util.ArrayList<>();
                    rows.forEach(row -> accounts.add(new AccountView(row.getUUID("id"),
                            row.getString("provider_account_id"), row.getString("name"), row.getString("mask"),
                            row.getString("type"), row.getString("subtype"), row.getString("account_type"),
                            row.getBigDecimal("current_balance"), row.getBigDecimal("available_balance"),
                            row.getString("currency"))));
                    return accounts;
                });
    }

    /**
     * Upserts the accounts by (connection, provider account id) and records a balance history row
     * for each balance that changed (current, available, credit limit).
     */
    public Uni<Void> upsertAccounts(SqlConnection tx, ConnectionState connection, List<PlaidClient.Account> accounts) {
        if (accounts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = accounts.size();
        String[] ids = new String[size];
        String[] names = new String[size];
        String[] officialNames = new String[size];
        String[] masks = new String[size];
        String[] types = new String[size];
        String[] subtypes = new String[size];
        String[] accountTypes = new String[size];
        BigDecimal[] current = new BigDecimal[size];
        BigDecimal[] available = new BigDecimal[size];
        BigDecimal[] limits = new BigDecimal[size];
        String[] currencies = new String[size];
        for (int i = 0; i < size; i++) {
            PlaidClient.Account account = accounts.get(i);
            ids[i] = account.accountId();
            names[i] = account.name();
            officialNames[i] = account.officialName();
            masks[i] = account.mask();
            types[i] = type(account.type());
            subtypes[i] = account.subtype();
            accountTypes[i] = accountType(account.type(), account.subtype());
            current[i] = account.current();
            available[i] = account.available();
            limits[i] = account.limit();
            currencies[i] = account.currency() == null ? "USD" : account.currency();
        }
        // a balance that differs from the account's current one of its type adds a history row (the trigger links it)
        return tx.preparedQuery("WITH upserted AS (INSERT INTO bank.bank_accounts (id, connection_id, user_id, "
                        + "provider_account_id, name, "
                        + "official_name, mask, type, subtype, account_type, current_balance, available_balance, "
                        + "credit_limit, currency) "
                        + "SELECT gen_random_uuid(), $1, $2, d.id, d.name, d.official_name, d.mask, d.type, d.subtype, "
                        + "d.account_type, d.current, d.available, d.credit_limit, d.currency "
                        + "FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], "
                        + "$9::text[], $10::numeric[], $11::numeric[], $12::numeric[], $13::text[]) "
                        + "AS d(id, name, official_name, mask, type, subtype, account_type, current, available, "
                        + "credit_limit, currency) "
                        + "ON CONFLICT (connection_id, provider_account_id) DO UPDATE SET name = EXCLUDED.name, "
                        + "official_name = EXCLUDED.official_name, mask = EXCLUDED.mask, "
                        + "current_balance = EXCLUDED.current_balance, available_balance = EXCLUDED.available_balance, "
                        + "credit_limit = EXCLUDED.credit_limit, updated_at = now() "
                        + "RETURNING id, current_balance, available_balance, credit_limit, currency) "
                        + "INSERT INTO bank.account_balances (id, account_id, balance_type, amount, currency, as_of) "
                        + "SELECT gen_random_uuid(), u.id, b.type, b.amount, u.currency, now() FROM upserted u "
                        + "CROSS JOIN LATERAL (VALUES ('current', u.current_balance), ('available', u.available_balance), "
                        + "('credit_limit', u.credit_limit)) AS b(type, amount) WHERE b.amount IS NOT NULL "
                        + "AND NOT EXISTS (SELECT 1 FROM bank.account_balances c WHERE c.account_id = u.id "
                        + "AND c.balance_type = b.type AND c.is_current AND c.amount = b.amount)")
                .execute(Tuple.tuple().addValue(connection.id()).addValue(connection.userId()).addValue(ids)
                        .addValue(names).addValue(officialNames).addValue(masks).addValue(types).addValue(subtypes)
                        .addValue(accountTypes).addValue(current).addValue(available).addValue(limits)
                        .addValue(currencies))
                .replaceWithVoid();
    }

    /**
     * Upserts transactions by (account, provider id); a posted one also retires the pending row it
     * replaces, so the pair never shows twice whichever page the provider's removal comes on. A
     * transaction that did not change is neither rewritten nor counted as updated.
     */
    public Uni<Written> upsertTransactions(SqlConnection tx, ConnectionState connection,
            List<PlaidClient.Transaction> transactions) {
        if (transactions.isEmpty()) {
            return Uni.createFrom().item(new Written(0, 0));
        }
        int size = transactions.size();
        String[] ids = new String[size];
        String[] accounts = new String[size];
        BigDecimal[] amounts = new BigDecimal[size];
        String[] currencies = new String[size];
        LocalDate[] dates = new LocalDate[size];
        String[] names = new String[size];
        String[] merchants = new String[size];
        String[] categories = new String[size];
        String[] channels = new String[size];
        Boolean[] pending = new Boolean[size];
        String[] pendingIds = new String[size];
        for (int i = 0; i < size; i++) {
            PlaidClient.Transaction transaction = transactions.get(i);
            ids[i] = transaction.transactionId();
            accounts[i] = transaction.accountId();
            amounts[i] = transaction.amount();
            currencies[i] = transaction.currency() == null ? "USD" : transaction.currency();
            dates[i] = transaction.date();
            names[i] = transaction.name() == null || transaction.name().isBlank() ? "(no description)"
                    : transaction.name();
            merchants[i] = transaction.merchantName();
            categories[i] = transaction.category();
            channels[i] = channel(transaction.paymentChannel());
            pending[i] = transaction.pending();
            pendingIds[i] = transaction.pendingTransactionId();
        }
        return tx.preparedQuery("WITH d AS (SELECT * FROM unnest($2::text[], $3::text[], $4::numeric[], $5::text[], "
                        + "$6::date[], $7::text[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[]) "
                        + "AS d(id, account, amount, currency, date, name, merchant, category, channel, pending, "
                        + "pending_id)), "
                        + "written AS (INSERT INTO bank.transactions AS t (id, account_id, user_id, provider_transaction_id, "
                        + "amount, currency, transaction_date, name, merchant_name, provider_category, category_id, "
                        + "payment_channel, pending, pending_transaction_id) "
                        + "SELECT gen_random_uuid(), a.id, a.user_id, d.id, d.amount, d.currency, d.date, d.name, "
                        + "d.merchant, d.category, c.id, d.channel, d.pending, d.pending_id FROM d "
                        + "JOIN bank.bank_accounts a ON a.connection_id = $1 AND a.provider_account_id = d.account "
                        + "LEFT JOIN bank.categories c ON c.user_id IS NULL AND c.provider_code = d.category "
                        + "ON CONFLICT (account_id, provider_transaction_id) DO UPDATE SET amount = EXCLUDED.amount, "
                        + "currency = EXCLUDED.currency, transaction_date = EXCLUDED.transaction_date, "
                        + "name = EXCLUDED.name, merchant_name = EXCLUDED.merchant_name, "
                        + "provider_category = EXCLUDED.provider_category, pending = EXCLUDED.pending, "
                        + "pending_transaction_id = EXCLUDED.pending_transaction_id, removed_at = NULL, updated_at = now() "
                        // a page read again (restart, resumed run, full re-read) rewrites and counts nothing
                        + "WHERE (t.amount, t.currency, t.transaction_date, t.name, t.merchant_name, t.provider_category, "
                        + "t.pending, t.pending_transaction_id, t.removed_at IS NULL) IS DISTINCT FROM (EXCLUDED.amount, "
                        + "EXCLUDED.currency, EXCLUDED.transaction_date, EXCLUDED.name, EXCLUDED.merchant_name, "
                        + "EXCLUDED.provider_category, EXCLUDED.pending, EXCLUDED.pending_transaction_id, true) "
                        + "RETURNING (xmax = 0) AS inserted), "
                        + "retired AS (UPDATE bank.transactions t SET removed_at = now(), updated_at = now() FROM d "
                        + "JOIN bank.bank_accounts a ON a.connection_id = $1 AND a.provider_account_id = d.account "
                        + "WHERE d.pending_id IS NOT NULL AND t.account_id = a.id AND t.provider_transaction_id = d.pending_id "
                        + "AND t.removed_at IS NULL RETURNING t.id) "
                        + "SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) "
                        + "AS updated FROM written")
                .execute(Tuple.tuple().addValue(connection.id()).addValue(ids).addValue(accounts).addValue(amounts)
                        .addValue(currencies).addValue(dates).addValue(names).addValue(merchants).addValue(categories)
                        .addValue(channels).addValue(pending).addValue(pendingIds))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Written(row.getLong("inserted").intValue(), row.getLong("updated").intValue());
                });
    }

    /** Marks transactions removed; returns how many were live. */
    public Uni<Integer> remove(SqlConnection tx, ConnectionState connection, List<String> providerIds) {
        if (providerIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return tx.preparedQuery("UPDATE bank.transactions t SET removed_at = now(), updated_at = now() "
                        + "FROM bank.bank_accounts a WHERE a.connection_id = $1 AND t.account_id = a.id "
                        + "AND t.provider_transaction_id = ANY($2) AND t.removed_at IS NULL")
                .execute(Tuple.of(connection.id(), providerIds.toArray(String[]::new)))
                .map(rows -> rows.rowCount());
    }

    /**
     * Removes an account's pending transactions dated from {@code from} on that are not among
     * {@code listed}: the bank, asked for that window, no longer lists them (booked under another
     * id, or dropped). Returns their provider ids.
     */
    public Uni<List<String>> retireUnlisted(SqlConnection tx, ConnectionState connection, String providerAccountId,
            LocalDate from, java.util.Collection<String> listed) {
        return tx.preparedQuery("UPDATE bank.transactions t SET removed_at = now(), updated_at = now() "
                        + "FROM bank.bank_accounts a WHERE a.connection_id = $1 AND a.provider_account_id = $2 "
                        + "AND t.account_id = a.id AND t.pending AND t.removed_at IS NULL AND t.transaction_date >= $3 "
                        + "AND NOT (t.provider_transaction_id = ANY($4)) RETURNING t.provider_transaction_id")
                .execute(Tuple.of(connection.id(), providerAccountId, from, listed.toArray(String[]::new)))
                .map(rows -> {
                    List<String> ids = new java.util.ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString(0)));
                    return ids;
                });
    }

    /** The run's end: its cursor, saved in the transaction of its last page. */
    public Uni<Void> finishRun(SqlConnection tx, ConnectionState connection, String cursor) {
        return tx.preparedQuery("UPDATE bank.bank_connections SET sync_cursor = $2, last_sync_at = now(), "
                        + "error_count = 0, last_error = NULL, requires_reauth = false, updated_at = now(), "
                        + "version = version + 1 WHERE id = $1")
                .execute(Tuple.of(connection.id(), cursor))
                .replaceWithVoid();
    }

    static String type(String plaidType) {
        String type = plaidType == null ? "other" : plaidType.toLowerCase(Locale.ROOT);
        return switch (type) {
            case "depository", "credit", "loan", "investment" -> type;
            case "brokerage" -> "investment";
            default -> "other";
        };
    }

    static String accountType(String plaidType, String subtype) {
        String value = subtype == null ? "" : subtype.toLowerCase(Locale.ROOT);
        return switch (value) {
            case "checking" -> "checking";
            case "savings" -> "savings";
            case "money market" -> "money_market";
            case "credit card" -> "credit_card";
            case "mortgage" -> "mortgage";
            case "cash management", "prepaid", "paypal" -> "cash";
            default -> switch (type(plaidType)) {
                case "loan" -> "loan";
                case "investment" -> "investment";
                case "credit" -> "credit_card";
                default -> "other";
            };
        };
    }

    private static String channel(String plaidChannel) {
        if (plaidChannel == null) {
            return null;
        }
        return switch (plaidChannel) {
            case "online" -> "online";
            case "in store" -> "in_store";
            default -> "other";
        };
    }
}
