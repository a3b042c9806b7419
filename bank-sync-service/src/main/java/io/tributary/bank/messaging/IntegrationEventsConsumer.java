package io.tributary.bank.messaging;

import io.smallrye.mutiny.Uni;
import io.tributary.bank.service.IntegrationEventService;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.kit.inbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** integration-service's lifecycle events: who owns which integration, and which were deleted. */
@ApplicationScoped
public class IntegrationEventsConsumer {

    private final Inbox inbox;
    private final IntegrationEventService integrationEvents;

    public IntegrationEventsConsumer(Inbox inbox, IntegrationEventService integrationEvents) {
        this.inbox = inbox;
        this.integrationEvents = integrationEvents;
    }

    @Incoming("integration-events")
    public Uni<Void> onIntegrationEvent(ConsumerRecord<String, String> record) {
        return inbox.consume(record, IntegrationEvent.class, integrationEvents::apply);
    }
}
