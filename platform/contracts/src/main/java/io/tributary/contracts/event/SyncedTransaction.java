package io.tributary.contracts.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One normalized transaction in a {@link TransactionsSynced} batch.
 * <p>
 * {@code amount} is a decimal string in {@code currency}, positive for money into the account and
 * negative for money out, whatever sign convention the provider uses. {@code bookedOn} is the
 * booking date every provider has; {@code bookedAt} is the instant, when the provider gives one.
 * A {@code removed} transaction carries only its ids.
 */
public record SyncedTransaction(
        TransactionChange change,
        String externalId,
        String accountExternalId,
        BigDecimal amount,
        String currency,
        LocalDate bookedOn,
        Instant bookedAt,
        TransactionStatus status,
        String description,
        String merchant,
        String category) {

    public static SyncedTransaction removed(String externalId, String accountExternalId) {
        return new SyncedTransaction(TransactionChange.REMOVED, externalId, accountExternalId,
                null, null, null, null, null, null, null, null);
    }
}
