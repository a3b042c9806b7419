package io.tributary.bank.service;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.tributary.bank.client.PlaidApiException;
import io.tributary.bank.client.PlaidClient;
import io.tributary.bank.config.BankConfig;
import io.tributary.bank.repository.BankSyncRepository;
import io.tributary.bank.repository.BankSyncRepository.ConnectionState;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One Plaid {@code /transactions/sync} run of a connection (shared/providers.md 2.1): pages until
 * {@code has_more} is false, each page committed in its own transaction (accounts, added, modified,
 * removed); the cursor is saved with the last page, so a run cut off between pages starts again
 * from the last saved cursor and its upserts make the repeat harmless — no gap, no duplicate. On
 * TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION the run restarts from the cursor it began with.
 */
@ApplicationScoped
public class PlaidSync implements SyncEngine {

    private final PlaidClient plaid;
    private final BankSyncRepository repository;
    private final Pool pool;
    private final int maxRestarts;

    public PlaidSync(PlaidClient plaid, BankSyncRepository repository, Pool pool, BankConfig config) {
        this.plaid = plaid;
        this.repository = repository;
        this.pool = pool;
        this.maxRestarts = config.plaid().maxRestarts();
    }

    /** What a run did: rows added, updated and removed, pages read, restarts, and the cursor it saved. */
    public record Outcome(int added, int updated, int removed, int pages, int restarts, String cursor) {
    }

    /** Rows a run added, updated and removed so far, and its pages. */
    public record Progress(int added, int updated, int removed, int pages) {
    }

    /** Told of each page inside the page's own transaction, so what it writes commits or rolls back with the page. */
    @FunctionalInterface
    public interface PageListener {

        /**
         * @param pageCounts what this page added, updated and removed
         * @param last       whether this page ends the run (its cursor is saved in this transaction)
         */
        Uni<Void> onPage(SqlConnection tx, PlaidClient.SyncPage page, Progress pageCounts, boolean last);
    }

    /** Runs with the Item's access token, which the caller got from oauth-service and which is never stored here. */
    public Uni<Outcome> run(UUID connectionId, String accessToken) {
        return repository.connection(connectionId)
                .flatMap(connection -> run(connection, accessToken, (tx, page, counts, last) -> Uni.createFrom()
                        .voidItem()));
    }

    @Override
    public boolean syncs(String provider) {
        return "plaid".equals(provider);
    }

    /** Reads the Item's accounts and balances into the schema. */
    @Override
    public Uni<Void> test(ConnectionState connection, String accessToken) {
        return plaid.accounts(accessToken)
                .flatMap(accounts -> pool.withTransaction(tx -> repository.upsertAccounts(tx, connection,
                        accounts.accounts())));
    }

    /** A run of a known connection whose every page is also handed to {@code listener}. */
    @Override
    public Uni<Outcome> run(ConnectionState connection, String accessToken, PageListener listener) {
        return attempt(connection, accessToken, listener, 0);
    }

    private Uni<Outcome> attempt(ConnectionState connection, String accessToken, PageListener listener, int restarts) {
        return pages(connection, accessToken, listener, connection.cursor(), new Progress(0, 0, 0, 0), restarts)
                .onFailure(failure -> failure instanceof PlaidApiException plaidError
                        && plaidError.mutationDuringPagination() && restarts < maxRestarts)
                .recoverWithUni(failure -> {
                    Log.infof("Plaid data of connection %s changed during pagination; restarting from the run's "
                            + "first cursor (%d)", connection.id(), restarts + 1);
                    return attempt(connection, accessToken, listener, restarts + 1);
                });
    }

    /**
     * Pages of one run, committed in page order. While a page is written the next one is already
     * fetched (its cursor is known once the page arrives), and when the next page cannot interact
     * with the one being written ({@link #independent}) its statements run beside it on a second
     * connection, its commit held until the page before has committed: a page only ever waits on
     * the one before it, so two writes never wait on each other.
     */
    private Uni<Outcome> pages(ConnectionState connection, String accessToken, PageListener listener, String cursor,
            Progress progress, int restarts) {
        return plaid.sync(accessToken, cursor).flatMap(first -> Uni.createFrom().<Outcome>emitter(emitter ->
                new Pages(connection, accessToken, listener, restarts, emitter)
                        .take(first, null, true, CompletableFuture.completedFuture(progress))));
    }

    /**
     * One attempt's pages. Each page is taken up from a callback, not composed onto the Uni of the
     * page before, and pages are linked only by futures of their commits: a run of a million
     * transactions holds two pages at a time, not every page it has read.
     */
    private final class Pages {

        private final ConnectionState connection;
        private final String accessToken;
        private final PageListener listener;
        private final int restarts;
        private final UniEmitter<? super Outcome> emitter;

        Pages(ConnectionState connection, String accessToken, PageListener listener, int restarts,
                UniEmitter<? super Outcome> emitter) {
            this.connection = connection;
            this.accessToken = accessToken;
            this.listener = listener;
            this.restarts = restarts;
            this.emitter = emitter;
        }

        /**
         * @param previous         the page before this one, null for the first of the run
         * @param previousAccounts whether the page before wrote accounts (the first page of a run does)
         * @param committedBefore  completes, with the run's totals, once every page before this one committed
         */
        void take(PlaidClient.SyncPage page, PlaidClient.SyncPage previous, boolean previousAccounts,
                CompletableFuture<Progress> committedBefore) {
            boolean accountsChanged = previous == null || !previous.accounts().equals(page.accounts());
            // rows join the accounts they belong to, so they wait for accounts the page before is writing
            boolean besidePrevious = previous != null && !previousAccounts && independent(previous, page);
            Uni<Progress> before = Uni.createFrom().completionStage(committedBefore);
            CompletableFuture<Progress> committed = new CompletableFuture<>();
            (besidePrevious ? Uni.createFrom().voidItem() : before.replaceWithVoid())
                    .chain(() -> write(connection, listener, page, accountsChanged, before))
                    .subscribe().with(committed::complete, failure -> committed.completeExceptionally(cause(failure)));
            if (!page.hasMore()) {
                committed.whenComplete((done, failure) -> {
                    if (failure != null) {
                        emitter.fail(cause(failure));
                    } else {
                        emitter.complete(new Outcome(done.added(), done.updated(), done.removed(), done.pages(),
                                restarts, page.nextCursor()));
                    }
                });
                return;
            }
            CompletableFuture<PlaidClient.SyncPage> next = plaid.sync(accessToken, page.nextCursor())
                    .subscribeAsCompletionStage();
            // at most two pages in flight: the following one is taken up once the page before this one committed
            committedBefore.thenCompose(ignored -> next).whenComplete((following, failure) -> {
                if (failure == null) {
                    try {
                        take(following, page, accountsChanged, committed);
                    } catch (RuntimeException unexpected) {
                        // thrown in a future's callback it would be lost, and the run would never end
                        committed.whenComplete((ignored, alsoFailed) -> emitter.fail(unexpected));
                    }
                } else {
                    // the page in flight ends (commits or rolls back) before the run restarts or gives up
                    committed.whenComplete((ignored, alsoFailed) -> emitter.fail(cause(failure)));
                }
            });
        }
    }

    private static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Whether {@code page} can be written while {@code previous} is still uncommitted with the same
     * result as after it: it removes nothing, replaces no pending transaction (those are plain updates
     * that would not see the previous page's rows), brings the same accounts (so it takes no lock the
     * previous page needs) and touches none of the previous page's transactions.
     */
    static boolean independent(PlaidClient.SyncPage previous, PlaidClient.SyncPage page) {
        if (!page.removed().isEmpty() || !previous.accounts().equals(page.accounts())) {
            return false;
        }
        java.util.Set<String> touchedBefore = new java.util.HashSet<>();
        previous.added().forEach(transaction -> touchedBefore.add(transaction.transactionId()));
        previous.modified().forEach(transaction -> touchedBefore.add(transaction.transactionId()));
        previous.removed().forEach(removed -> touchedBefore.add(removed.transactionId()));
        return java.util.stream.Stream.concat(page.added().stream(), page.modified().stream())
                .allMatch(transaction -> transaction.pendingTransactionId() == null
                        && !touchedBefore.contains(transaction.transactionId()));
    }

    /**
     * One page in one transaction: its rows first, then — once the pages before it have committed —
     * the listener's writes and, on the last page, the cursor; so events and cursor follow page order.
     */
    private Uni<Progress> write(ConnectionState connection, PageListener listener, PlaidClient.SyncPage page,
            boolean accountsChanged, Uni<Progress> committedBefore) {
        return pool.withTransaction(tx -> (accountsChanged ? repository.upsertAccounts(tx, connection, page.accounts())
                        : Uni.createFrom().voidItem())
                .chain(() -> repository.upsertTransactions(tx, connection, page.added()))
                .flatMap(added -> repository.upsertTransactions(tx, connection, page.modified())
                        .map(modified -> new BankSyncRepository.Written(added.inserted() + modified.inserted(),
                                added.updated() + modified.updated())))
                .flatMap(written -> repository.remove(tx, connection, page.removed().stream()
                                .map(PlaidClient.Removed::transactionId).toList())
                        .map(removed -> new Progress(written.inserted(), written.updated(), removed, 1)))
                .flatMap(pageCounts -> committedBefore
                        .call(() -> page.hasMore() ? Uni.createFrom().voidItem()
                                : repository.finishRun(tx, connection, page.nextCursor()))
                        .call(() -> listener.onPage(tx, page, pageCounts, !page.hasMore()))
                        .map(before -> new Progress(before.added() + pageCounts.added(),
                                before.updated() + pageCounts.updated(), before.removed() + pageCounts.removed(),
                                before.pages() + 1))));
    }
}
