package io.tributary.kit.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.TributaryEvent;
import io.tributary.kit.config.KitConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Adds events to the service's outbox inside the caller's reactive transaction: the event is
 * published if, and only if, the transaction commits. {@link OutboxRelay} does the publishing.
 */
@ApplicationScoped
public class Outbox {

    private final String insertSql;
    private final String source;

    public Outbox(KitConfig config) {
        this.insertSql = OutboxSql.insert(config.dbSchema());
        this.source = "/tributary/" + config.serviceName();
    }

    /**
     * Writes the event to the outbox in the current transaction.
     *
     * @return the event's id, its CloudEvents {@code ce_id}
     * @throws io.tributary.contracts.InvalidEventException (as the failure) when the event breaks its schema
     * @throws IllegalStateException (as the failure) when called outside a transaction
     */
    public Uni<UUID> add(TributaryEvent event) {
        EventType type = EventType.of(event);
        UUID id = UUID.randomUUID();
        return Uni.createFrom().item(() -> EventCodec.toJson(event))
                .flatMap(payload -> Panache.currentTransaction().flatMap(transaction -> {
                    if (transaction == null) {
                        return Uni.createFrom().failure(new IllegalStateException(
                                "Outbox.add must run inside a transaction, or the event could outlive a rollback"));
                    }
                    return Panache.getSession().flatMap(session -> session.createNativeQuery(insertSql)
                            .setParameter("id", id.toString())
                            .setParameter("topic", type.topic())
                            .setParameter("eventKey", event.partitionKey())
                            .setParameter("ceType", type.cloudEventType())
                            .setParameter("ceSource", source)
                            .setParameter("ceTime", OffsetDateTime.now(ZoneOffset.UTC))
                            .setParameter("payload", payload)
                            .executeUpdate());
                }))
                .replaceWith(id);
    }
}
