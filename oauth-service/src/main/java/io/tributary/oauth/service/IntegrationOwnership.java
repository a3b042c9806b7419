package io.tributary.oauth.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.tributary.kit.problem.ProblemException;
import io.tributary.oauth.IntegrationRef;
import io.tributary.oauth.repository.IntegrationRefRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Whether an integration is the caller's: another user's is a 404, like a missing one. */
@ApplicationScoped
public class IntegrationOwnership {

    private final IntegrationRefRepository integrations;

    public IntegrationOwnership(IntegrationRefRepository integrations) {
        this.integrations = integrations;
    }

    @WithSession
    public Uni<IntegrationRef> requireOwned(String userId, UUID integrationId) {
        return integrations.findOwned(integrationId, userId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Integration", integrationId));
    }
}
