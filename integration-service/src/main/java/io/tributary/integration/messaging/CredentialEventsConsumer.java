package io.tributary.integration.messaging;

import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.CredentialEvent;
import io.tributary.integration.service.CredentialEventService;
import io.tributary.kit.inbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** What oauth-service says about integrations' credentials. */
@ApplicationScoped
public class CredentialEventsConsumer {

    private final Inbox inbox;
    private final CredentialEventService credentialEvents;

    public CredentialEventsConsumer(Inbox inbox, CredentialEventService credentialEvents) {
        this.inbox = inbox;
        this.credentialEvents = credentialEvents;
    }

    @Incoming("credential-events")
    public Uni<Void> onCredentialEvent(ConsumerRecord<String, String> record) {
        return inbox.consume(record, CredentialEvent.class, credentialEvents::apply);
    }
}
