package io.tributary.integration.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.tributary.integration.SyncJob;
import io.tributary.integration.SyncJobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SyncJobRepository implements PanacheRepositoryBase<SyncJob, UUID> {

    /** The pending or running job of an integration, or null. */
    public Uni<SyncJob> findActive(UUID integrationId) {
        return find("integrationId = ?1 and status in ?2", integrationId,
                List.of(SyncJobStatus.PENDING, SyncJobStatus.RUNNING)).firstResult();
    }

    public Uni<SyncJob> findOfIntegration(UUID integrationId, UUID jobId) {
        return find("id = ?1 and integrationId = ?2", jobId, integrationId).firstResult();
    }

    public Uni<SyncJob> findForUpdate(UUID jobId) {
        return find("id", jobId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<List<SyncJob>> page(UUID integrationId, int page, int size) {
        return find("integrationId", Sort.descending("createdAt").and("id"), integrationId)
                .page(Page.of(page, size)).list();
    }

    public Uni<Long> countOf(UUID integrationId) {
        return count("integrationId", integrationId);
    }

    /** The most recent finished jobs, newest first, for the health score. */
    public Uni<List<SyncJob>> recentFinished(UUID integrationId, int limit) {
        return find("integrationId = ?1 and status in ?2", Sort.descending("completedAt"), integrationId,
                List.of(SyncJobStatus.COMPLETED, SyncJobStatus.FAILED))
                .page(Page.ofSize(limit)).list();
    }
}
