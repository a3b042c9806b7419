package io.tributary.integration.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.SyncRequested;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationStatus;
import io.tributary.integration.LogStatus;
import io.tributary.integration.SyncJob;
import io.tributary.integration.SyncJobStatus;
import io.tributary.integration.repository.IntegrationRepository;
import io.tributary.integration.repository.SyncJobRepository;
import io.tributary.kit.outbox.Outbox;
import io.tributary.kit.persistence.DatabaseErrors;
import io.tributary.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Starts sync jobs (manual, test, scheduled, first sync after connecting) and reads them back. */
@ApplicationScoped
public class SyncJobService {

    /** States in which the provider can be asked for data: credentials are there. */
    private static final Set<IntegrationStatus> SYNCABLE = EnumSet.of(IntegrationStatus.CONNECTED, IntegrationStatus.ERROR,
            IntegrationStatus.SYNCING);

    private final IntegrationRepository integrations;
    private final SyncJobRepository jobs;
    private final ActivityLog activity;
    private final Outbox outbox;
    private final SyncMetrics metrics;

    public SyncJobService(IntegrationRepository integrations, SyncJobRepository jobs, ActivityLog activity,
            Outbox outbox, SyncMetrics metrics) {
        this.integrations = integrations;
        this.jobs = jobs;
        this.activity = activity;
        this.outbox = outbox;
        this.metrics = metrics;
    }

    /** A user asks for a sync or a connection test now: 404, 422 when not connected, 409 while one runs. */
    @WithTransaction
    public Uni<SyncJob> requestByUser(String userId, UUID integrationId, SyncType syncType) {
        return integrations.findOwnedForUpdate(integrationId, userId)
                .onItem().ifNull().failWith(() -> IntegrationService.notFound(integrationId))
                .flatMap(integration -> {
                    if (!SYNCABLE.contains(integration.status)) {
                        return Uni.createFrom().failure(ProblemException.unprocessable(
                                "The integration is " + statusWord(integration.status)
                                        + "; connect it before asking for a sync"));
                    }
                    return jobs.findActive(integration.id).flatMap(active -> active != null
                            ? Uni.createFrom().failure(alreadyRunning(active))
                            : start(integration, syncType, SyncTrigger.MANUAL));
                });
    }

    /**
     * Creates a pending job and its {@code sync-requested} event in the caller's transaction. The
     * unique index on active jobs turns a lost race into a 409, never a second job.
     */
    public Uni<SyncJob> start(Integration integration, SyncType syncType, SyncTrigger trigger) {
        Instant now = Instant.now();
        SyncJob job = new SyncJob();
        job.id = UUID.randomUUID();
        job.integrationId = integration.id;
        job.syncType = syncType;
        job.trigger = trigger;
        job.status = SyncJobStatus.PENDING;
        job.createdAt = now;
        return jobs.persistAndFlush(job)
                .onFailure(DatabaseErrors::isUniqueViolation).transform(e -> ProblemException.conflict(
                        "A sync of integration " + integration.id + " is already running"))
                .call(() -> outbox.add(new SyncRequested(job.id, integration.id, integration.userId,
                        integration.provider, integration.type, syncType, trigger, now)))
                .call(() -> activity.record(integration.id, "sync_requested", LogStatus.INFO,
                        wordOf(syncType) + " sync requested (" + wordOf(trigger) + ")",
                        Map.of("syncJobId", job.id.toString(), "syncType", wordOf(syncType), "trigger", wordOf(trigger))))
                .invoke(() -> metrics.jobStarted(integration.provider, trigger))
                .replaceWith(job);
    }

    @WithSession
    public Uni<IntegrationService.PageOf<SyncJob>> page(String userId, UUID integrationId, int page, int size) {
        return integrations.findOwned(integrationId, userId)
                .onItem().ifNull().failWith(() -> IntegrationService.notFound(integrationId))
                .flatMap(integration -> jobs.page(integrationId, page, size)
                        .flatMap(items -> jobs.countOf(integrationId)
                                .map(total -> new IntegrationService.PageOf<>(items, page, size, total))));
    }

    @WithSession
    public Uni<SyncJob> get(String userId, UUID integrationId, UUID jobId) {
        return integrations.findOwned(integrationId, userId)
                .onItem().ifNull().failWith(() -> IntegrationService.notFound(integrationId))
                .flatMap(integration -> jobs.findOfIntegration(integrationId, jobId))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Sync job", jobId));
    }

    private static ProblemException alreadyRunning(SyncJob active) {
        return ProblemException.conflict("Sync job " + active.id + " of this integration is still "
                + wordOf(active.status) + "; wait for it to end");
    }

    static String wordOf(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String statusWord(IntegrationStatus status) {
        return wordOf(status).replace('_', ' ');
    }
}
