package io.tributary.integration.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.tributary.integration.IntegrationLog;
import io.tributary.integration.repository.IntegrationLogRepository;
import io.tributary.integration.repository.IntegrationRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads an integration's activity log for its owner. */
@ApplicationScoped
public class IntegrationLogService {

    private final IntegrationRepository integrations;
    private final IntegrationLogRepository logs;

    public IntegrationLogService(IntegrationRepository integrations, IntegrationLogRepository logs) {
        this.integrations = integrations;
        this.logs = logs;
    }

    @WithSession
    public Uni<IntegrationService.PageOf<IntegrationLog>> page(String userId, IntegrationLogRepository.Filter filter,
            int page, int size) {
        return integrations.findOwned(filter.integrationId(), userId)
                .onItem().ifNull().failWith(() -> IntegrationService.notFound(filter.integrationId()))
                .flatMap(integration -> logs.page(filter, page, size)
                        .flatMap(items -> logs.count(filter)
                                .map(total -> new IntegrationService.PageOf<>(items, page, size, total))));
    }
}
