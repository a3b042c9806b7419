package io.tributary.contracts.event;

import io.tributary.contracts.TributaryEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One of the user's balance rules fired on a bank account. {@code amount} is the balance (low
 * balance, threshold) or the transaction amount (large transaction); both amounts are in
 * {@code currency}.
 */
public record BalanceAlert(
        int version,
        UUID alertId,
        String userId,
        UUID integrationId,
        String accountId,
        BalanceAlertRule rule,
        BigDecimal amount,
        BigDecimal threshold,
        String currency,
        String transactionExternalId,
        Instant triggeredAt) implements TributaryEvent {

    public static final int VERSION = 1;

    public BalanceAlert(UUID alertId, String userId, UUID integrationId, String accountId, BalanceAlertRule rule,
            BigDecimal amount, BigDecimal threshold, String currency, String transactionExternalId,
            Instant triggeredAt) {
        this(VERSION, alertId, userId, integrationId, accountId, rule, amount, threshold, currency,
                transactionExternalId, triggeredAt);
    }

    @Override
    public String partitionKey() {
        return accountId;
    }
}
