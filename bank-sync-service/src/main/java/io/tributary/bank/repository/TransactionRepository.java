package io.tributary.bank.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The caller's transactions, newest first with a keyset cursor on (date, id). Amounts are stored
 * money-out-positive (Plaid's convention) and shown money-in-positive, as in transactions-synced.
 */
@ApplicationScoped
public class TransactionRepository {

    private static final String SELECT = "SELECT t.id, t.account_id, t.provider_transaction_id, -t.amount AS amount, "
            + "t.currency, t.transaction_date, t.name, t.merchant_name, t.provider_category, t.category_id, "
            + "c.name AS category_name, t.payment_channel, t.pending, t.is_manual, t.notes, t.updated_at "
            + "FROM bank.transactions t "
            + "JOIN bank.bank_accounts a ON a.id = t.account_id AND a.deleted_at IS NULL "
            + "JOIN bank.bank_connections b ON b.id = a.connection_id AND b.is_active "
            + "LEFT JOIN bank.categories c ON c.id = t.category_id ";

    private final Pool pool;

    public TransactionRepository(Pool pool) {
        this.pool = pool;
    }

    public record Transaction(UUID id, UUID accountId, String providerTransactionId, BigDecimal amount,
            String currency, LocalDate date, String name, String merchant, String providerCategory, UUID categoryId,
            String categoryName, String paymentChannel, boolean pending, boolean manual, String notes,
            Instant updatedAt) {
    }

    /** Filters; null means "any". Amounts compare with the shown (money-in-positive) amount. */
    public record Filter(UUID accountId, LocalDate from, LocalDate to, BigDecimal minAmount, BigDecimal maxAmount,
            UUID categoryId, String text, Boolean pending) {
    }

    /** Where the previous page ended. */
    public record Position(LocalDate date, UUID id) {
    }

    public Uni<List<Transaction>> page(String userId, Filter filter, Position after, int limit) {
        return pool.preparedQuery(SELECT + "WHERE t.user_id = $1 AND t.removed_at IS NULL "
                        + "AND ($2::uuid IS NULL OR t.account_id = $2) "
                        + "AND ($3::date IS NULL OR t.transaction_date >= $3) "
                        + "AND ($4::date IS NULL OR t.transaction_date <= $4) "
                        + "AND ($5::numeric IS NULL OR -t.amount >= $5) AND ($6::numeric IS NULL OR -t.amount <= $6) "
                        + "AND ($7::uuid IS NULL OR t.category_id = $7) "
                        + "AND ($8::text IS NULL OR t.search @@ plainto_tsquery('simple', $8)) "
                        + "AND ($9::boolean IS NULL OR t.pending = $9) "
                        + "AND ($10::date IS NULL OR (t.transaction_date, t.id) < ($10, $11::uuid)) "
                        + "ORDER BY t.transaction_date DESC, t.id DESC LIMIT $12")
                .execute(Tuple.tuple().addValue(userId).addValue(filter.accountId()).addValue(filter.from())
                        .addValue(filter.to()).addValue(filter.minAmount()).addValue(filter.maxAmount())
                        .addValue(filter.categoryId()).addValue(filter.text()).addValue(filter.pending())
                        .addValue(after == null ? null : after.date()).addValue(after == null ? null : after.id())
                        .addValue(limit))
                .map(rows -> {
                    List<Transaction> transactions = new ArrayList<>();
                    rows.forEach(row -> transactions.add(transaction(row)));
                    return transactions;
                });
    }

    public Uni<Transaction> find(String userId, UUID id) {
        return pool.preparedQuery(SELECT + "WHERE t.user_id = $1 AND t.id = $2 AND t.removed_at IS NULL")
                .execute(Tuple.of(userId, id))
                .map(rows -> rows.iterator().hasNext() ? transaction(rows.iterator().next()) : null);
    }

    /**
     * Sets the category (when {@code setCategory}) and the notes (when {@code setNotes}) of the
     * caller's transaction; a category must be the system's or the caller's. Answers whether it changed a row.
     */
    public Uni<Boolean> update(String userId, UUID id, boolean setCategory, UUID categoryId, boolean setNotes,
            String notes) {
        return pool.preparedQuery("UPDATE bank.transactions t SET "
                        + "category_id = CASE WHEN $3 THEN $4::uuid ELSE t.category_id END, "
                        + "notes = CASE WHEN $5 THEN $6 ELSE t.notes END, updated_at = now() "
                        + "WHERE t.id = $1 AND t.user_id = $2 AND t.removed_at IS NULL "
                        + "AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM bank.categories c WHERE c.id = $4 "
                        + "AND (c.user_id IS NULL OR c.user_id = $2)))")
                .execute(Tuple.tuple().addValue(id).addValue(userId).addValue(setCategory).addValue(categoryId)
                        .addValue(setNotes).addValue(notes))
                .map(rows -> rows.rowCount() > 0);
    }

    private static Transaction transaction(Row row) {
        return new Transaction(row.getUUID("id"), row.getUUID("account_id"), row.getString("provider_transaction_id"),
                row.getBigDecimal("amount"), row.getString("currency"), row.getLocalDate("transaction_date"),
                row.getString("name"), row.getString("merchant_name"), row.getString("provider_category"),
                row.getUUID("category_id"), row.getString("category_name"), row.getString("payment_channel"),
                row.getBoolean("pending"), row.getBoolean("is_manual"), row.getString("notes"),
                row.getOffsetDateTime("updated_at").toInstant());
    }
}
