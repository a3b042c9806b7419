package io.tributary.integration.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.tributary.integration.SyncJob;
import io.tributary.integration.SyncJobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
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

    /** Active jobs with no report since {@code cutoff}, locked; ones another replica holds are skipped. */
    public Uni<List<SyncJob>> claimSilentSince(Instant cutoff, int limit) {
        return getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT * FROM {h-schema}sync_jobs WHERE status IN ('pending', 'running') "
                                + "AND coalesce(last_report_at, created_at) < :cutoff "
                                + "ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED", SyncJob.class)
                .setParameter("cutoff", cutoff)
                .setParameter("limit", limit)
                .getResultList());
    }

    /** The most recent finished jobs, newest first, for the health score. */
    public Uni<List<SyncJob>> recentFinished(UUID integrationId, int limit) {
        return find("integrationId = ?1 and status in ?2", Sort.descending("completedAt"), integrationId,
                List.of(SyncJobStatus.COMPLETED, SyncJobStatus.FAILED))
                .page(Page.ofSize(limit)).list();
    }
}
