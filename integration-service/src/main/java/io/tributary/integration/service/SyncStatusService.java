package io.tributary.integration.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.SyncState;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.contracts.event.SyncType;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationStatus;
import io.tributary.integration.LogStatus;
import io.tributary.integration.SyncJob;
import io.tributary.integration.SyncJobStatus;
import io.tributary.integration.repository.IntegrationRepository;
import io.tributary.integration.repository.SyncJobRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Applies a sync service's report to the job and its integration. A finished job never moves
 * back (a late progress or a repeated report changes nothing), and counts never go down.
 */
@ApplicationScoped
public class SyncStatusService {

    private static final int MAX_ERROR_LENGTH = 1000;
    /** Integration states a sync report may move; a user's or oauth-service's verdict outranks it. */
    private static final Set<IntegrationStatus> MOVABLE = EnumSet.of(IntegrationStatus.CONNECTED,
            IntegrationStatus.SYNCING, IntegrationStatus.ERROR);

    private final SyncJobRepository jobs;
    private final IntegrationRepository integrations;
    private final ActivityLog activity;
    private final SyncMetrics metrics;

    public SyncStatusService(SyncJobRepository jobs, IntegrationRepository integrations, ActivityLog activity,
            SyncMetrics metrics) {
        this.jobs = jobs;
        this.integrations = integrations;
        this.activity = activity;
        this.metrics = metrics;
    }

    @WithTransaction
    public Uni<Void> apply(SyncStatus report) {
        return jobs.findForUpdate(report.syncJobId()).flatMap(job -> {
            if (job == null || !job.integrationId.equals(report.integrationId())) {
                Log.warnf("Ignoring sync-status for unknown job %s of integration %s", report.syncJobId(),
                        report.integrationId());
                return Uni.createFrom().voidItem();
            }
            if (job.status.isFinal()) {
                Log.debugf("Job %s already %s; ignoring a late %s report", job.id, job.status, report.state());
                return Uni.createFrom().voidItem();
            }
            updateJob(job, report);
            return integrations.findActiveForUpdate(job.integrationId)
                    .flatMap(integration -> integration == null ? Uni.createFrom().voidItem()
                            : updateIntegration(integration, job, report));
        });
    }

    private static void updateJob(SyncJob job, SyncStatus report) {
        job.lastReportAt = Instant.now();
        job.recordsAdded = Math.max(job.recordsAdded, report.recordsAdded());
        job.recordsUpdated = Math.max(job.recordsUpdated, report.recordsUpdated());
        job.recordsDeleted = Math.max(job.recordsDeleted, report.recordsDeleted());
        job.recordsFailed = Math.max(job.recordsFailed, report.recordsFailed());
        if (job.startedAt == null) {
            job.startedAt = report.startedAt();
        }
        switch (report.state()) {
            case RUNNING, PROGRESS -> job.status = SyncJobStatus.RUNNING;
            case COMPLETED -> {
                job.status = SyncJobStatus.COMPLETED;
                job.completedAt = finishedAt(report);
            }
            case FAILED -> {
                job.status = SyncJobStatus.FAILED;
                job.completedAt = finishedAt(report);
                job.errorCode = report.errorCode();
                job.errorMessage = truncate(report.errorMessage());
            }
        }
    }

    private Uni<Void> updateIntegration(Integration integration, SyncJob job, SyncStatus report) {
        if (!MOVABLE.contains(integration.status)) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        integration.updatedAt = now;
        if (report.state() == SyncState.RUNNING || report.state() == SyncState.PROGRESS) {
            integration.status = IntegrationStatus.SYNCING;
            return Uni.createFrom().voidItem();
        }
        boolean completed = report.state() == SyncState.COMPLETED;
        metrics.jobFinished(integration.provider, completed,
                job.startedAt == null ? null : Duration.between(job.startedAt, job.completedAt));
        integration.nextSyncAt = IntegrationService.nextSyncAfter(integration.syncFrequency(), now);
        if (completed) {
            integration.status = IntegrationStatus.CONNECTED;
            integration.errorCount = 0;
            integration.lastError = null;
            if (job.syncType != SyncType.TEST) {
                integration.lastSyncAt = job.completedAt;
            }
            return activity.record(integration.id, "sync_completed", LogStatus.SUCCESS,
                    SyncJobService.wordOf(job.syncType) + " sync completed", counts(job));
        }
        integration.status = IntegrationStatus.ERROR;
        integration.errorCount++;
        integration.lastError = truncate(report.errorMessage() != null ? report.errorMessage() : report.errorCode());
        Map<String, Object> details = counts(job);
        details.put("errorCode", report.errorCode());
        return activity.record(integration.id, "sync_failed", LogStatus.FAILURE,
                SyncJobService.wordOf(job.syncType) + " sync failed: " + report.errorCode(), details);
    }

    private static Map<String, Object> counts(SyncJob job) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("syncJobId", job.id.toString());
        details.put("recordsAdded", job.recordsAdded);
        details.put("recordsUpdated", job.recordsUpdated);
        details.put("recordsDeleted", job.recordsDeleted);
        details.put("recordsFailed", job.recordsFailed);
        return details;
    }

    private static Instant finishedAt(SyncStatus report) {
        return report.finishedAt() != null ? report.finishedAt() : Instant.now();
    }

    private static String truncate(String message) {
        return message == null || message.length() <= MAX_ERROR_LENGTH ? message : message.substring(0, MAX_ERROR_LENGTH);
    }
}
