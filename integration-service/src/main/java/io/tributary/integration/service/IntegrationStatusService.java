package io.tributary.integration.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.tributary.integration.config.IntegrationServiceConfig;
import io.tributary.integration.repository.IntegrationRepository;
import io.tributary.integration.repository.SyncJobRepository;
import io.tributary.integration.rest.IntegrationViews.StatusView;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/** An integration's status with its health score. */
@ApplicationScoped
public class IntegrationStatusService {

    private final IntegrationRepository integrations;
    private final SyncJobRepository jobs;
    private final int healthWindow;

    public IntegrationStatusService(IntegrationRepository integrations, SyncJobRepository jobs,
            IntegrationServiceConfig config) {
        this.integrations = integrations;
        this.jobs = jobs;
        this.healthWindow = config.syncJobs().healthWindow();
    }

    @WithSession
    public Uni<StatusView> status(String userId, UUID id) {
        return integrations.findOwned(id, userId)
                .onItem().ifNull().failWith(() -> IntegrationService.notFound(id))
                .flatMap(integration -> jobs.recentFinished(integration.id, healthWindow).map(recent -> new StatusView(
                        integration.id, integration.status, integration.lastSyncAt, integration.nextSyncAt,
                        integration.errorCount, integration.lastError,
                        HealthScore.of(new HealthScore.Inputs(integration.status, integration.syncFrequency(),
                                integration.lastSyncAt, integration.createdAt, recent, Instant.now())))));
    }
}
