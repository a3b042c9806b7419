package io.tributary.integration.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.CredentialEvent;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationStatus;
import io.tributary.integration.LogStatus;
import io.tributary.integration.repository.IntegrationRepository;
import io.tributary.integration.repository.SyncJobRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Follows what oauth-service says about an integration's credential. */
@ApplicationScoped
public class CredentialEventService {

    private final IntegrationRepository integrations;
    private final SyncJobRepository jobs;
    private final SyncJobService syncJobs;
    private final ActivityLog activity;

    public CredentialEventService(IntegrationRepository integrations, SyncJobRepository jobs, SyncJobService syncJobs,
            ActivityLog activity) {
        this.integrations = integrations;
        this.jobs = jobs;
        this.syncJobs = syncJobs;
        this.activity = activity;
    }

    @WithTransaction
    public Uni<Void> apply(CredentialEvent event) {
        return integrations.findActiveForUpdate(event.integrationId()).flatMap(integration -> {
            if (integration == null) {
                Log.debugf("Ignoring %s for integration %s, which is deleted or unknown", event.type(),
                        event.integrationId());
                return Uni.createFrom().voidItem();
            }
            integration.updatedAt = Instant.now();
            Map<String, Object> details = new HashMap<>();
            if (event.expiresAt() != null) {
                details.put("expiresAt", event.expiresAt().toString());
            }
            return switch (event.type()) {
                case AUTHORIZED -> connected(integration, details);
                case REFRESHED -> activity.record(integration.id, "credentials_refreshed", LogStatus.INFO,
                        "Access refreshed with the provider", details);
                case EXPIRING_SOON -> activity.record(integration.id, "credentials_expiring", LogStatus.INFO,
                        "Access to the provider expires soon", details);
                case REAUTH_REQUIRED -> {
                    integration.status = IntegrationStatus.REAUTH_REQUIRED;
                    yield activity.record(integration.id, "reauth_required", LogStatus.FAILURE,
                            "The provider no longer accepts the connection; connect again", details);
                }
                case REVOKED -> {
                    integration.status = IntegrationStatus.DISCONNECTED;
                    integration.nextSyncAt = null;
                    yield activity.record(integration.id, "credentials_revoked", LogStatus.INFO,
                            "The connection to the provider was revoked", details);
                }
            };
        });
    }

    /** Connected: the first sync pulls everything, a reconnection only what changed. */
    private Uni<Void> connected(Integration integration, Map<String, Object> details) {
        integration.status = IntegrationStatus.CONNECTED;
        integration.errorCount = 0;
        integration.lastError = null;
        integration.nextSyncAt = IntegrationService.nextSyncAfter(integration.syncFrequency(), Instant.now());
        SyncType firstSync = integration.lastSyncAt == null ? SyncType.FULL : SyncType.INCREMENTAL;
        return activity.record(integration.id, "connected", LogStatus.SUCCESS, "Connected to the provider", details)
                .chain(() -> jobs.findActive(integration.id))
                .chain(active -> active != null ? Uni.createFrom().voidItem()
                        : syncJobs.start(integration, firstSync, SyncTrigger.SCHEDULED).replaceWithVoid());
    }
}
