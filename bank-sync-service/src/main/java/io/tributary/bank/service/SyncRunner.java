package io.tributary.bank.service;

import io.quarkus.arc.All;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.client.CredentialClient;
import io.tributary.bank.client.CredentialException;
import io.tributary.bank.client.ProviderApiException;
import io.tributary.bank.client.PlaidApiException;
import io.tributary.bank.client.PlaidClient;
import io.tributary.bank.config.BankConfig;
import io.tributary.bank.mapping.SyncEvents;
import io.tributary.bank.repository.BalanceAlertRepository;
import io.tributary.bank.repository.BankSyncRepository.ConnectionState;
import io.tributary.bank.repository.SyncRunRepository;
import io.tributary.bank.repository.SyncRunRepository.ClaimedRun;
import io.tributary.bank.repository.SyncRunRepository.Counts;
import io.tributary.contracts.TributaryEvent;
import io.tributary.contracts.event.SyncState;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.kit.outbox.Outbox;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Works the queue of sync runs: claims a due run, gets its credential from oauth-service, runs the
 * provider's engine page by page and reports through the outbox: {@code running} on the first
 * claim, {@code progress}, {@code transactions-synced} batches and the {@code balance-alerts} the
 * page's balances and transactions fired, in each page's transaction, and
 * {@code completed} in the last page's, so a report never tells of rows that did not commit.
 * Passing trouble (rate limits, outages) puts the run back in the queue for later; the rest fails it.
 */
@ApplicationScoped
public class SyncRunner {

    private final Pool pool;
    private final SyncRunRepository runs;
    private final List<SyncEngine> engines;
    private final CredentialClient credentials;
    private final Outbox outbox;
    private final BalanceAlertRepository alerts;
    private final BankConfig.Sync config;
    private final AtomicInteger busyWorkers = new AtomicInteger();
    private final AtomicBoolean wokenWhileBusy = new AtomicBoolean();
    private volatile boolean stopping;

    public SyncRunner(Pool pool, SyncRunRepository runs, @All List<SyncEngine> engines,
            CredentialClient credentials, Outbox outbox, BalanceAlertRepository alerts, BankConfig config) {
        this.pool = pool;
        this.runs = runs;
        this.engines = List.copyOf(engines);
        this.credentials = credentials;
        this.outbox = outbox;
        this.alerts = alerts;
        this.config = config.sync();
    }

    /**
     * Starts one idle worker on the queue; a worker that claims a run wakes the next, so a full
     * queue fills every worker. With none idle, the wake is remembered for the first to finish.
     */
    public void wake() {
        while (!stopping) {
            int busy = busyWorkers.get();
            if (busy >= config.workers()) {
                wokenWhileBusy.set(true);
                return;
            }
            if (busyWorkers.compareAndSet(busy, busy + 1)) {
                work();
                return;
            }
        }
    }

    /** A retry's time came or a lease ran out with no one to wake the queue. */
    @Scheduled(every = "{bank.sync.poll-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wake();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private void work() {
        claimAndRun().subscribe().with(ran -> {
            if (ran && !stopping) {
                work();
                return;
            }
            busyWorkers.decrementAndGet();
            // a run queued while every worker was busy would otherwise wait for the poll
            if (wokenWhileBusy.compareAndSet(true, false)) {
                wake();
            }
        }, failure -> {
            // the poll takes the queue up again; retrying here at once could spin on a lasting fault
            Log.warnf("Sync worker stopped on %s", failure.toString());
            busyWorkers.decrementAndGet();
        });
    }

    /** Claims one due run and runs it; answers whether there was one. */
    Uni<Boolean> claimAndRun() {
        return pool.withTransaction(tx -> runs.claimNext(tx, config.lease())
                        .call(run -> run != null && run.firstClaim()
                                ? publish(tx, List.of(SyncEvents.status(run, SyncState.RUNNING, zero(), null)))
                                : Uni.createFrom().voidItem()))
                .flatMap(run -> {
                    if (run == null) {
                        return Uni.createFrom().item(false);
                    }
                    wake();
                    return execute(run).replaceWith(true);
                });
    }

    private Uni<Void> execute(ClaimedRun run) {
        Log.infof("Sync run %s of connection %s (%s, %s) started", run.id(), run.connectionId(), run.provider(),
                run.syncType());
        SyncEngine engine = engines.stream().filter(candidate -> candidate.syncs(run.provider())).findFirst()
                .orElse(null);
        if (engine == null) {
            return fail(run, "unsupported_provider", "bank-sync-service cannot sync " + run.provider() + " yet", false);
        }
        return credentials.usable(run.integrationId())
                .flatMap(credential -> "test".equals(run.requestedType()) ? test(run, engine, credential)
                        : sync(run, engine, credential))
                .onFailure().recoverWithUni(failure -> recover(run, failure));
    }

    private Uni<Void> sync(ClaimedRun run, SyncEngine engine, CredentialClient.Credential credential) {
        // a full sync reads the whole history again; upserts leave what did not change untouched
        String cursor = "full".equals(run.syncType()) ? null : run.cursor();
        ConnectionState connection = new ConnectionState(run.connectionId(), run.userId(), run.provider(), cursor);
        PlaidSync.PageListener listener = (tx, page, counts, last) -> runs
                        .recordPage(tx, run, counts.added(), counts.updated(), counts.removed(), config.lease())
                        .flatMap(totals -> last
                                ? runs.complete(tx, run).map(finished -> SyncEvents.status(run, SyncState.COMPLETED,
                                        totals, finished))
                                : Uni.createFrom().item(SyncEvents.status(run, SyncState.PROGRESS, totals, null)))
                        .flatMap(status -> alerts.evaluate(tx, run.connectionId(), page.added().stream()
                                        .map(PlaidClient.Transaction::transactionId).toList())
                                .flatMap(fired -> {
                                    List<TributaryEvent> events = new ArrayList<>(SyncEvents.batches(run, page));
                                    fired.forEach(alert -> events.add(SyncEvents.alert(run, alert)));
                                    events.add(status);
                                    return publish(tx, events);
                                }));
        return engine.run(connection, credential.accessToken(), listener)
                .invoke(done -> Log.infof("Sync run %s completed: %d added, %d updated, %d removed in %d pages "
                        + "(%d restarts)", run.id(), done.added(), done.updated(), done.removed(), done.pages(),
                        done.restarts()))
                .replaceWithVoid();
    }

    /** A connection test: the credential works and the accounts can be read; no transactions. */
    private Uni<Void> test(ClaimedRun run, SyncEngine engine, CredentialClient.Credential credential) {
        ConnectionState connection = new ConnectionState(run.connectionId(), run.userId(), run.provider(),
                run.cursor());
        return engine.test(connection, credential.accessToken())
                .chain(() -> pool.withTransaction(tx -> runs.complete(tx, run)
                        .flatMap(finished -> publish(tx, List.of(SyncEvents.status(run, SyncState.COMPLETED, zero(),
                                finished))))));
    }

    private Uni<Void> recover(ClaimedRun run, Throwable failure) {
        if (failure instanceof SyncRunRepository.LeaseLostException) {
            Log.warnf("Sync run %s was taken over by another worker; leaving it to it", run.id());
            return Uni.createFrom().voidItem();
        }
        if (failure instanceof CredentialException credential) {
            return switch (credential.reason()) {
                case MISSING -> fail(run, "credential_missing", credential.getMessage(), false);
                case REAUTH_REQUIRED -> fail(run, "reauth_required", credential.getMessage(), true);
                case REFUSED, UNAVAILABLE -> retry(run, "credential_unavailable", credential.getMessage(),
                        backoff(run), config.maxRetries());
            };
        }
        if (failure instanceof ProviderApiException bankError) {
            String code = bankError.errorCode() == null ? "bank_error_" + bankError.status()
                    : bankError.errorCode().toLowerCase(java.util.Locale.ROOT);
            if (bankError.rateLimited()) {
                Duration wait = bankError.retryAfter().orElse(config.rateLimitDelay()
                        .multipliedBy(Math.min(run.retryCount() + 1, 10)));
                return retry(run, "rate_limited", bankError.getMessage(), wait, config.maxRateLimited());
            }
            if (bankError.reauthRequired()) {
                return fail(run, "reauth_required", bankError.getMessage(), true);
            }
            if (bankError.passing()) {
                return retry(run, code, bankError.getMessage(), backoff(run), config.maxRetries());
            }
            return fail(run, code.length() > 64 ? code.substring(0, 64) : code, bankError.getMessage(), false);
        }
        if (failure instanceof PlaidApiException plaidError) {
            String code = plaidError.errorCode() == null ? "plaid_error" : plaidError.errorCode().toLowerCase();
            if (plaidError.rateLimited()) {
                Duration wait = config.rateLimitDelay().multipliedBy(Math.min(run.retryCount() + 1, 10));
                return retry(run, "rate_limited", plaidError.getMessage(), wait, config.maxRateLimited());
            }
            if (plaidError.loginRequired() || plaidError.itemGone()) {
                return fail(run, code, plaidError.getMessage(), true);
            }
            if (plaidError.passing() || plaidError.mutationDuringPagination()) {
                return retry(run, code, plaidError.getMessage(), backoff(run), config.maxRetries());
            }
            return fail(run, code, plaidError.getMessage(), false);
        }
        Log.errorf(failure, "Sync run %s failed unexpectedly", run.id());
        return retry(run, "internal_error", "bank-sync-service failed: " + failure.getClass().getSimpleName(),
                backoff(run), config.maxRetries());
    }

    private Duration backoff(ClaimedRun run) {
        return config.retryBackoff().multipliedBy(1L << Math.min(run.retryCount(), 6));
    }

    private Uni<Void> retry(ClaimedRun run, String code, String message, Duration wait, int maxAttempts) {
        if (run.retryCount() >= maxAttempts) {
            return fail(run, code, message + " (gave up after " + (run.retryCount() + 1) + " attempts)", false);
        }
        Instant at = Instant.now().plus(wait);
        Log.infof("Sync run %s paused until %s: %s", run.id(), at, code);
        return pool.withTransaction(tx -> runs.reschedule(tx, run, at, code, message)
                        .chain(() -> runs.counts(tx, run.id()))
                        .flatMap(counts -> publish(tx, List.of(SyncEvents.paused(run, counts, code,
                                message + "; trying again at " + at)))))
                .onFailure(SyncRunRepository.LeaseLostException.class).recoverWithNull();
    }

    private Uni<Void> fail(ClaimedRun run, String code, String message, boolean reauthRequired) {
        Log.warnf("Sync run %s failed: %s", run.id(), code);
        return pool.withTransaction(tx -> runs.fail(tx, run, code, message, reauthRequired)
                        .flatMap(finished -> runs.counts(tx, run.id())
                                .flatMap(counts -> publish(tx, List.of(SyncEvents.failed(run, counts, code, message,
                                        finished))))))
                .onFailure(SyncRunRepository.LeaseLostException.class).recoverWithNull();
    }

    /** A run the service began itself (a Plaid webhook) answers no job, so it reports no sync-status. */
    private Uni<Void> publish(SqlConnection tx, List<? extends TributaryEvent> events) {
        return outbox.addEntries(tx, events.stream()
                        .filter(event -> !(event instanceof SyncStatus status && status.syncJobId() == null))
                        .map(event -> new Outbox.Entry(UUID.randomUUID(), event)).toList())
                .replaceWithVoid();
    }

    private static Counts zero() {
        return new Counts(0, 0, 0, 0);
    }
}
