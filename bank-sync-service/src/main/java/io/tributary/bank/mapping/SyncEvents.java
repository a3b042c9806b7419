package io.tributary.bank.mapping;

import io.tributary.bank.client.PlaidClient;
import io.tributary.bank.repository.BalanceAlertRepository;
import io.tributary.bank.repository.SyncRunRepository;
import io.tributary.contracts.event.BalanceAlert;
import io.tributary.contracts.event.BalanceAlertRule;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.SyncState;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.contracts.event.SyncedTransaction;
import io.tributary.contracts.event.TransactionChange;
import io.tributary.contracts.event.TransactionStatus;
import io.tributary.contracts.event.TransactionsSynced;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The events a sync run publishes, built from its rows and the provider's pages. */
public final class SyncEvents {

    private static final int MAX_MESSAGE = 2000;

    private SyncEvents() {
    }

    public static SyncStatus status(SyncRunRepository.ClaimedRun run, SyncState state, SyncRunRepository.Counts counts,
            Instant finishedAt) {
        return new SyncStatus(run.syncJobId(), run.integrationId(), state, counts.added(), counts.updated(),
                counts.deleted(), counts.failed(), null, null, run.startedAt(), finishedAt);
    }

    public static SyncStatus failed(SyncRunRepository.ClaimedRun run, SyncRunRepository.Counts counts, String code,
            String message, Instant finishedAt) {
        return new SyncStatus(run.syncJobId(), run.integrationId(), SyncState.FAILED, counts.added(),
                counts.updated(), counts.deleted(), counts.failed(), code, truncate(message), run.startedAt(),
                finishedAt);
    }

    /** A pause (rate limit, passing outage): still running, with why in the error fields. */
    public static SyncStatus paused(SyncRunRepository.ClaimedRun run, SyncRunRepository.Counts counts, String code,
            String message) {
        return new SyncStatus(run.syncJobId(), run.integrationId(), SyncState.PROGRESS, counts.added(),
                counts.updated(), counts.deleted(), counts.failed(), code, truncate(message), run.startedAt(), null);
    }

    public static BalanceAlert alert(SyncRunRepository.ClaimedRun run, BalanceAlertRepository.Fired fired) {
        return new BalanceAlert(fired.alertId(), run.userId(), run.integrationId(), fired.accountId().toString(),
                "low_balance".equals(fired.rule()) ? BalanceAlertRule.LOW_BALANCE : BalanceAlertRule.LARGE_TRANSACTION,
                fired.amount(), fired.threshold(), fired.currency(), fired.transactionId(), fired.firedAt());
    }

    /** Plaid and the Mint and Empower exports are aggregators (as in the provider catalogue); the UK banks are banks. */
    public static IntegrationCategory category(String provider) {
        return switch (provider) {
            case "plaid", "mint", "empower", "ynab" -> IntegrationCategory.AGGREGATOR;
            default -> IntegrationCategory.BANK;
        };
    }

    /** A page's changes as batches of at most {@value TransactionsSynced#MAX_BATCH_SIZE}. */
    public static List<TransactionsSynced> batches(SyncRunRepository.ClaimedRun run, PlaidClient.SyncPage page) {
        List<SyncedTransaction> changes = new ArrayList<>(page.added().size() + page.modified().size()
                + page.removed().size());
        page.added().forEach(transaction -> changes.add(synced(TransactionChange.ADDED, transaction)));
        page.modified().forEach(transaction -> changes.add(synced(TransactionChange.MODIFIED, transaction)));
        // Plaid always names the account of a removal; one that does not cannot be told to consumers
        page.removed().stream().filter(gone -> gone.accountId() != null && !gone.accountId().isEmpty())
                .forEach(gone -> changes.add(SyncedTransaction.removed(gone.transactionId(), gone.accountId())));
        List<TransactionsSynced> batches = new ArrayList<>();
        for (int from = 0; from < changes.size(); from += TransactionsSynced.MAX_BATCH_SIZE) {
            batches.add(new TransactionsSynced(run.integrationId(), run.userId(), category(run.provider()),
                    run.provider(), run.syncJobId(), changes.subList(from,
                    Math.min(changes.size(), from + TransactionsSynced.MAX_BATCH_SIZE))));
        }
        return batches;
    }

    /** Plaid's positive amount is money out; the event's is money in. */
    static SyncedTransaction synced(TransactionChange change, PlaidClient.Transaction transaction) {
        return new SyncedTransaction(change, transaction.transactionId(), transaction.accountId(),
                transaction.amount() == null ? null : transaction.amount().negate(),
                transaction.currency() == null ? "USD" : transaction.currency(), transaction.date(), null,
                transaction.pending() ? TransactionStatus.PENDING : TransactionStatus.POSTED, transaction.name(),
                transaction.merchantName(), transaction.category());
    }

    private static String truncate(String message) {
        if (message == null || message.isEmpty()) {
            return null;
        }
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE);
    }
}
