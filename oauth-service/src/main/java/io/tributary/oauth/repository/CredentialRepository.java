package io.tributary.oauth.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.tributary.oauth.Credential;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class CredentialRepository implements PanacheRepositoryBase<Credential, UUID> {

    /** Locked until the transaction ends: one refresh, rotation or revocation of a credential at a time. */
    public Uni<Credential> findForUpdate(UUID integrationId) {
        return find("integrationId", integrationId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Credentials still encrypted under another key than the primary, locked, skipping ones in use elsewhere. */
    public Uni<List<Credential>> claimUnderOtherKeys(long primaryKeyId, int limit) {
        return getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT * FROM {h-schema}credentials WHERE key_id <> :primary "
                                + "ORDER BY integration_id LIMIT :limit FOR UPDATE SKIP LOCKED", Credential.class)
                .setParameter("primary", primaryKeyId)
                .setParameter("limit", limit)
                .getResultList());
    }
}
