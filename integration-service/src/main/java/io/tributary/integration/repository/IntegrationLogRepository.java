package io.tributary.integration.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
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
        Query query = query(filter);
        return find(query.hql(), Sort.descending("createdAt").and("id"), query.parameters())
                .page(Page.of(page, size)).list();
    }

    public Uni<Long> count(Filter filter) {
        Query query = query(filter);
        return count(query.hql(), query.parameters());
    }

    private record Query(String hql, Parameters parameters) {
    }

    private static Query query(Filter filter) {
        StringBuilder hql = new StringBuilder("integrationId = :integrationId");
        Parameters parameters = Parameters.with("integrationId", filter.integrationId());
        if (filter.action() != null) {
            hql.append(" and action = :action");
            parameters.and("action", filter.action());
        }
        if (filter.status() != null) {
            hql.append(" and status = :status");
            parameters.and("status", filter.status());
        }
        if (filter.from() != null) {
            hql.append(" and createdAt >= :from");
            parameters.and("from", filter.from());
        }
        if (filter.to() != null) {
            hql.append(" and createdAt < :to");
            parameters.and("to", filter.to());
        }
        return new Query(hql.toString(), parameters);
    }
}
