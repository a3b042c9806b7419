package io.tributary.oauth.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.tributary.oauth.IntegrationRef;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class IntegrationRefRepository implements PanacheRepositoryBase<IntegrationRef, UUID> {

    /** The caller's active integration, or null: another user's is as absent as a missing one. */
    public Uni<IntegrationRef> findOwned(UUID integrationId, String userId) {
        return find("integrationId = ?1 and userId = ?2 and active = true", integrationId, userId).firstResult();
    }

    public Uni<IntegrationRef> findActive(UUID integrationId) {
        return find("integrationId = ?1 and active = true", integrationId).firstResult();
    }
}
