package io.tributary.integration.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.tributary.integration.IntegrationLog;
import io.tributary.integration.LogStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class IntegrationLogRepository implements PanacheRepositoryBase<IntegrationLog, UUID> {

    /** Filters of a log listing; a null field does not filter. */
    public record Filter(UUID integrationId, String action, LogStatus status, Instant from, Instant to) {
    }

    public Uni<List<IntegrationLog>> page(Filter filter, int page, int size) {
        QueryFilter query = query(filter);
        return find(query.hql(), Sort.descending("createdAt").and("id"), query.parameters())
                .page(Page.of(page, size)).list();
    }

    public Uni<Long> count(Filter filter) {
        QueryFilter query = query(filter);
        return count(query.hql(), query.parameters());
    }

    private static QueryFilter query(Filter filter) {
        return QueryFilter.where("integrationId = :integrationId", "integrationId", filter.integrationId())
                .and("action = :action", "action", filter.action())
                .and("status = :status", "status", filter.status())
                .and("createdAt >= :from", "from", filter.from())
                .and("createdAt < :to", "to", filter.to());
    }
}
