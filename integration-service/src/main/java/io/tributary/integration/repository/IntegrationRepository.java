package io.tributary.integration.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class IntegrationRepository implements PanacheRepositoryBase<Integration, UUID> {

    /** Filters of a listing; a null field does not filter. {@code userId} null lists every user's (admin). */
    public record Filter(String userId, IntegrationCategory type, String provider, IntegrationStatus status) {
    }

    /** The caller's active integration, or null: another user's is as absent as a missing one. */
    public Uni<Integration> findOwned(UUID id, String userId) {
        return find("id = ?1 and userId = ?2 and active = true", id, userId).firstResult();
    }

    /** As {@link #findOwned}, locked until the transaction ends. */
    public Uni<Integration> findOwnedForUpdate(UUID id, String userId) {
        return find("id = ?1 and userId = ?2 and active = true", id, userId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Integration> findActiveForUpdate(UUID id) {
        return find("id = ?1 and active = true", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<List<Integration>> list(Filter filter, int page, int size) {
        QueryFilter query = query(filter);
        return find(query.hql(), Sort.descending("createdAt").and("id"), query.parameters())
                .page(Page.of(page, size)).list();
    }

    public Uni<Long> count(Filter filter) {
        QueryFilter query = query(filter);
        return count(query.hql(), query.parameters());
    }

    /**
     * Locks up to {@code limit} integrations due for a scheduled sync. Rows another replica holds
     * are skipped, not waited for, so two schedulers never take the same integration.
     */
    public Uni<List<Integration>> claimDue(Instant now, int limit) {
        return getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT * FROM {h-schema}integrations WHERE is_active AND status = 'connected' "
                                + "AND sync_frequency <> 'manual' AND next_sync_at <= :now "
                                + "ORDER BY next_sync_at LIMIT :limit FOR UPDATE SKIP LOCKED", Integration.class)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList());
    }

    private static QueryFilter query(Filter filter) {
        return QueryFilter.where("active = true")
                .and("userId = :userId", "userId", filter.userId())
                .and("type = :type", "type", filter.type())
                .and("provider = :provider", "provider", filter.provider())
                .and("status = :status", "status", filter.status());
    }
}
