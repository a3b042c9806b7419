package io.tributary.bank.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

@ApplicationScoped
public class IntegrationRefRepository implements PanacheRepositoryBase<IntegrationRef, UUID> {

    /** The caller's active integration, or null: another user's is as absent as a missing one. */
    public Uni<IntegrationRef> findOwned(UUID integrationId, String userId) {
        return find("integrationId = ?1 and userId = ?2 and active = true", integrationId, userId).firstResult();
    }

    /**
     * A deleted integration's connection stops: it is deactivated and its queued runs are failed,
     * in the caller's transaction. Its rows stay until the retention job (not built yet) removes them.
     */
    public Uni<Integer> deactivateConnections(UUID integrationId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "WITH stopped AS (UPDATE bank.bank_connections SET is_active = false, updated_at = now(), "
                                + "version = version + 1 WHERE integration_id = :integration AND is_active "
                                + "RETURNING id) "
                                + "UPDATE bank.transaction_syncs s SET status = 'failed', completed_at = now(), "
                                + "lease_until = NULL, error_code = 'integration_deleted', "
                                + "error_message = 'the integration was deleted' FROM stopped "
                                + "WHERE s.connection_id = stopped.id AND s.status IN ('pending', 'running')")
                .setParameter("integration", integrationId)
                .executeUpdate());
    }
}
