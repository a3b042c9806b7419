package io.tributary.bank.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.repository.IntegrationRef;
import io.tributary.bank.repository.IntegrationRefRepository;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Locale;

/** Keeps the projection of integrations the API checks ownership against; a deletion stops the connection. */
@ApplicationScoped
public class IntegrationEventService {

    private final IntegrationRefRepository integrations;

    public IntegrationEventService(IntegrationRefRepository integrations) {
        this.integrations = integrations;
    }

    @WithTransaction
    public Uni<Void> apply(IntegrationEvent event) {
        if (!SyncRequests.HANDLED.contains(event.category())) {
            return Uni.createFrom().voidItem();
        }
        return integrations.findById(event.integrationId()).flatMap(existing -> {
            IntegrationRef ref = existing != null ? existing : new IntegrationRef();
            ref.integrationId = event.integrationId();
            ref.userId = event.userId();
            ref.provider = event.provider();
            ref.category = event.category().name().toLowerCase(Locale.ROOT);
            ref.active = event.type() != IntegrationEventType.DELETED;
            ref.updatedAt = Instant.now();
            Uni<?> saved = existing == null ? integrations.persist(ref) : Uni.createFrom().item(ref);
            return event.type() == IntegrationEventType.DELETED
                    ? saved.chain(() -> integrations.flush()).chain(() -> integrations.deactivateConnections(
                            event.integrationId())).replaceWithVoid()
                    : saved.replaceWithVoid();
        });
    }
}
