package io.tributary.bank.service;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.repository.SyncRunRepository;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.SyncRequested;
import io.tributary.contracts.event.SyncState;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.contracts.event.SyncType;
import io.tributary.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Turns integration-service's {@code sync-requested} into a queued run, inside the inbox's
 * transaction: a redelivered request finds its event id (or its job) already there and queues
 * nothing. A request that cannot be run is answered {@code failed} at once, so no job waits forever.
 */
@ApplicationScoped
public class SyncRequests {

    /** The categories this service syncs; the other sync services answer the rest. */
    static final Set<IntegrationCategory> HANDLED = EnumSet.of(IntegrationCategory.BANK, IntegrationCategory.AGGREGATOR);

    private final SyncRunRepository runs;
    private final Outbox outbox;

    public SyncRequests(SyncRunRepository runs, Outbox outbox) {
        this.runs = runs;
        this.outbox = outbox;
    }

    /** Answers whether a run was queued (and the workers should be woken). */
    public Uni<Boolean> accept(SyncRequested request) {
        if (!HANDLED.contains(request.category())) {
            return Uni.createFrom().item(false);
        }
        return runs.activeConnection(request.integrationId()).flatMap(connection -> {
            if (connection == null && (OpenBankingSync.BANKS.contains(request.provider())
                    || "ynab".equals(request.provider()))) {
                // an OAuth-connected bank or budget is authorised in oauth-service; its connection here starts with its first sync
                return runs.openConnection(request.integrationId(), request.userId(), request.provider())
                        .flatMap(opened -> runs.enqueue(UUID.randomUUID(), opened.id(), request.syncJobId(),
                                        syncType(request, opened), wordOf(request.syncType()))
                                .flatMap(queued -> queued ? Uni.createFrom().item(true)
                                        : explainRefusal(request, opened)));
            }
            if (connection == null) {
                return refuse(request, "not_connected", "bank-sync-service has no connection for integration "
                        + request.integrationId() + "; connect it first (for Plaid, finish Link)");
            }
            return runs.enqueue(UUID.randomUUID(), connection.id(), request.syncJobId(), syncType(request, connection),
                            wordOf(request.syncType()))
                    .flatMap(queued -> queued ? Uni.createFrom().item(true) : explainRefusal(request, connection));
        });
    }

    private Uni<Boolean> explainRefusal(SyncRequested request, SyncRunRepository.ConnectionRef connection) {
        return runs.hasRunForJob(request.syncJobId()).flatMap(known -> {
            if (known) {
                Log.debugf("Job %s already has a run; ignoring the repeated request", request.syncJobId());
                return Uni.createFrom().item(false);
            }
            return runs.activeRunOf(connection.id()).flatMap(other -> refuse(request, "sync_in_progress",
                    "another sync of this connection is under way" + (other == null ? "" : " (job " + other + ")")));
        });
    }

    private Uni<Boolean> refuse(SyncRequested request, String code, String message) {
        Log.infof("Refusing sync job %s of integration %s: %s", request.syncJobId(), request.integrationId(), code);
        Instant now = Instant.now();
        return outbox.add(new SyncStatus(request.syncJobId(), request.integrationId(), SyncState.FAILED, 0, 0, 0, 0,
                code, message, now, now)).replaceWith(false);
    }

    /** Our record of why the run happens: a first read, a full re-read, or what triggered an incremental one. */
    static String syncType(SyncRequested request, SyncRunRepository.ConnectionRef connection) {
        if (request.syncType() == SyncType.TEST) {
            return "test";
        }
        if (connection.cursor() == null || connection.cursor().isEmpty()) {
            return "initial";
        }
        if (request.syncType() == SyncType.FULL) {
            return "full";
        }
        return switch (request.trigger()) {
            case MANUAL -> "manual";
            case SCHEDULED -> "scheduled";
            case WEBHOOK -> "webhook";
        };
    }

    private static String wordOf(SyncType type) {
        return switch (type) {
            case FULL -> "full";
            case INCREMENTAL -> "incremental";
            case TEST -> "test";
        };
    }
}
