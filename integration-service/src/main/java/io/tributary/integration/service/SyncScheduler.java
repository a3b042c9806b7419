package io.tributary.integration.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.SyncState;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.integration.Integration;
import io.tributary.integration.config.IntegrationServiceConfig;
import io.tributary.integration.repository.IntegrationRepository;
import io.tributary.integration.repository.SyncJobRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Starts the scheduled syncs that are due. Each round claims due integrations with
 * {@code FOR UPDATE SKIP LOCKED}, so replicas running it at the same moment split the work and
 * never schedule one integration twice. Each round first fails the jobs that went silent.
 */
@ApplicationScoped
public class SyncScheduler {

    private final IntegrationRepository integrations;
    private final SyncJobRepository jobs;
    private final SyncJobService syncJobs;
    private final SyncMetrics metrics;
    static final String TIMED_OUT = "timed_out";

    private final IntegrationServiceConfig.Scheduler config;
    private final Duration staleAfter;
    private final SyncStatusService syncStatus;

    public SyncScheduler(IntegrationRepository integrations, SyncJobRepository jobs, SyncJobService syncJobs,
            SyncStatusService syncStatus, SyncMetrics metrics, IntegrationServiceConfig config) {
        this.integrations = integrations;
        this.jobs = jobs;
        this.syncJobs = syncJobs;
        this.syncStatus = syncStatus;
        this.metrics = metrics;
        this.config = config.scheduler();
        this.staleAfter = config.syncJobs().staleAfter();
    }

    @Scheduled(every = "${integration.scheduler.every:15s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return expireSilentJobs().chain(this::scheduleDue)
                .invoke(count -> {
                    if (count > 0) {
                        Log.debugf("Scheduled %d due syncs", count);
                    }
                })
                .onFailure().invoke(e -> Log.warn("Scheduling due syncs failed; the next round retries", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Fails the jobs whose sync service has said nothing for {@code integration.sync-jobs.stale-after}
     * (it crashed, or its request was lost), as if it had reported {@code timed_out}, so that the
     * integration can sync again. Answers how many.
     */
    @WithTransaction
    public Uni<Integer> expireSilentJobs() {
        Instant now = Instant.now();
        return jobs.claimSilentSince(now.minus(staleAfter), config.batchSize())
                .flatMap(silent -> Multi.createFrom().iterable(silent)
                        .onItem().transformToUniAndConcatenate(job -> syncStatus.apply(new SyncStatus(job.id,
                                job.integrationId, SyncState.FAILED, job.recordsAdded, job.recordsUpdated,
                                job.recordsDeleted, job.recordsFailed, TIMED_OUT,
                                "No report from the sync service for " + staleAfter.toMinutes() + " minutes",
                                job.startedAt != null ? job.startedAt : job.createdAt, now)).replaceWith(job.id))
                        .collect().asList()
                        .map(List::size));
    }

    /** Rounds until nothing due is left (or another replica holds the rest); answers how many started. */
    public Uni<Integer> scheduleAllDue() {
        return scheduleDue().flatMap(started -> started < config.batchSize()
                ? Uni.createFrom().item(started)
                : scheduleAllDue().map(more -> started + more));
    }

    /** One round: starts a sync for every due integration it could claim; answers how many. */
    @WithTransaction
    public Uni<Integer> scheduleDue() {
        Instant now = Instant.now();
        return integrations.claimDue(now, config.batchSize())
                .flatMap(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(integration -> scheduleOne(integration, now))
                        .collect().asList()
                        .map(started -> (int) started.stream().filter(Boolean::booleanValue).count()));
    }

    private Uni<Boolean> scheduleOne(Integration integration, Instant now) {
        metrics.scheduledLate(Duration.between(integration.nextSyncAt, now));
        integration.nextSyncAt = IntegrationService.nextSyncAfter(integration.syncFrequency(), now);
        integration.updatedAt = now;
        // one still running: its own report sets the next time; skip this round
        return jobs.findActive(integration.id).flatMap(active -> active != null
                ? Uni.createFrom().item(false)
                : syncJobs.start(integration, SyncType.INCREMENTAL, SyncTrigger.SCHEDULED).replaceWith(true));
    }
}
