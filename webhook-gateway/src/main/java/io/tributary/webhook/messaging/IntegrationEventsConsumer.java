package io.tributary.webhook.messaging;

import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.kit.inbox.Inbox;
import io.tributary.webhook.service.WebhookEndpoints;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** integration-service's lifecycle events: a deleted integration's endpoints stop taking deliveries. */
@ApplicationScoped
public class IntegrationEventsConsumer {

    private final Inbox inbox;
    private final WebhookEndpoints endpoints;

    public IntegrationEventsConsumer(Inbox inbox, WebhookEndpoints endpoints) {
        this.inbox = inbox;
        this.endpoints = endpoints;
    }

    @Incoming("integration-events")
    public Uni<Void> onIntegrationEvent(ConsumerRecord<String, String> record) {
        return inbox.consume(record, IntegrationEvent.class, endpoints::apply);
    }
}
