package io.tributary.bank.repository;

import io.smallrye.mutiny.Uni;
import io.tributary.bank.mapping.CsvStatement;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * File imports on the reactive SQL client (the endpoint reads the upload on a worker thread, where
 * Hibernate Reactive cannot run): the import connection of an integration, its accounts by name,
 * and the rows, inserted once by their fingerprint.
 */
@ApplicationScoped
public class ImportRepository {

    private final Pool pool;

    public ImportRepository(Pool pool) {
        this.pool = pool;
    }

    /** A row that was new, as transactions-synced tells it. */
    public record Inserted(String providerTransactionId, String account, BigDecimal amount, String currency,
            LocalDate date, String name, String merchant, String category) {
    }

    /** The provider of the caller's active integration, or null. */
    public Uni<String> ownedProvider(String userId, UUID integrationId) {
        return pool.preparedQuery("SELECT provider FROM bank.integration_refs WHERE integration_id = $1 "
                        + "AND user_id = $2 AND active")
                .execute(Tuple.of(integrationId, userId))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("provider") : null);
    }

    /** The integration's import connection, made on its first import. */
    public Uni<UUID> importConnection(SqlConnection tx, UUID integrationId, String userId, String provider) {
        return tx.preparedQuery("INSERT INTO bank.bank_connections AS b (id, integration_id, user_id, provider, "
                        + "external_id, sync_frequency, last_sync_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, "
                        + "'manual', now()) ON CONFLICT (provider, external_id) DO UPDATE SET last_sync_at = now(), "
                        + "is_active = true, updated_at = now(), version = b.version + 1 RETURNING id")
                .execute(Tuple.of(integrationId, userId, provider, "import:" + integrationId))
                .map(rows -> rows.iterator().next().getUUID("id"));
    }

    /** Inserts the rows not imported before; answers those it inserted. */
    public Uni<List<Inserted>> insert(SqlConnection tx, UUID connectionId, String userId, List<CsvStatement.Row> rows) {
        int size = rows.size();
        String[] accounts = new String[size];
        String[] currencies = new String[size];
        LocalDate[] dates = new LocalDate[size];
        BigDecimal[] amounts = new BigDecimal[size];
        String[] names = new String[size];
        String[] merchants = new String[size];
        String[] categories = new String[size];
        String[] notes = new String[size];
        String[] fingerprints = new String[size];
        for (int i = 0; i < size; i++) {
            CsvStatement.Row row = rows.get(i);
            accounts[i] = row.account();
            currencies[i] = row.currency();
            dates[i] = row.date();
            amounts[i] = row.amount();
            names[i] = row.name();
            merchants[i] = row.merchant();
            categories[i] = row.category();
            notes[i] = row.notes();
            fingerprints[i] = row.fingerprint();
        }
        Tuple parameters = Tuple.tuple().addValue(connectionId).addValue(userId).addValue(accounts)
                .addValue(currencies).addValue(dates).addValue(amounts).addValue(names).addValue(merchants)
                .addValue(categories).addValue(notes).addValue(fingerprints);
        // an account per distinct name, in the currency of its first row
        return tx.preparedQuery("INSERT INTO bank.bank_accounts (id, connection_id, user_id, provider_account_id, name, "
                        + "type, account_type, currency) SELECT DISTINCT ON (d.account) gen_random_uuid(), $1, $2, "
                        + "d.account, d.account, 'other', 'other', d.currency FROM unnest($3::text[], $4::text[]) "
                        + "WITH ORDINALITY AS d(account, currency, n) ORDER BY d.account, d.n "
                        + "ON CONFLICT (connection_id, provider_account_id) DO NOTHING")
                .execute(Tuple.of(connectionId, userId, accounts, currencies))
                .chain(() -> tx.preparedQuery("INSERT INTO bank.transactions AS t (id, account_id, user_id, "
                                + "provider_transaction_id, amount, currency, transaction_date, name, merchant_name, "
                                + "provider_category, category_id, notes, import_hash) "
                                + "SELECT gen_random_uuid(), a.id, $2, 'import-' || left(d.fingerprint, 40), d.amount, "
                                + "d.currency, d.date, d.name, d.merchant, d.category, (SELECT c.id FROM bank.categories c "
                                + "WHERE lower(c.name) = lower(d.category) AND (c.user_id IS NULL OR c.user_id = $2) "
                                + "ORDER BY c.user_id NULLS LAST LIMIT 1), d.notes, d.fingerprint "
                                + "FROM unnest($3::text[], $4::text[], $5::date[], $6::numeric[], $7::text[], "
                                + "$8::text[], $9::text[], $10::text[], $11::text[]) AS d(account, currency, date, "
                                + "amount, name, merchant, category, notes, fingerprint) "
                                + "JOIN bank.bank_accounts a ON a.connection_id = $1 AND a.provider_account_id = d.account "
                                + "ON CONFLICT DO NOTHING RETURNING t.provider_transaction_id, (SELECT x.provider_account_id "
                                + "FROM bank.bank_accounts x WHERE x.id = t.account_id) AS account, t.amount, "
                                + "t.currency, t.transaction_date, t.name, t.merchant_name, t.provider_category")
                        .execute(parameters))
                .map(inserted -> {
                    List<Inserted> rowsInserted = new ArrayList<>();
                    for (Row row : inserted) {
                        rowsInserted.add(new Inserted(row.getString("provider_transaction_id"),
                                row.getString("account"), row.getBigDecimal("amount"),
                                row.getString("currency"), row.getLocalDate("transaction_date"), row.getString("name"),
                                row.getString("merchant_name"), row.getString("provider_category")));
                    }
                    return rowsInserted;
                });
    }
}
