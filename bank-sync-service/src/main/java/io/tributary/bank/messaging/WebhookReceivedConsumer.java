package io.tributary.bank.messaging;

import io.smallrye.mutiny.Uni;
import io.tributary.bank.service.PlaidWebhooks;
import io.tributary.bank.service.SyncRunner;
import io.tributary.contracts.event.WebhookReceived;
import io.tributary.kit.inbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Verified provider webhooks from webhook-gateway; this service acts on Plaid's. */
@ApplicationScoped
public class WebhookReceivedConsumer {

    private final Inbox inbox;
    private final PlaidWebhooks plaidWebhooks;
    private final SyncRunner runner;

    public WebhookReceivedConsumer(Inbox inbox, PlaidWebhooks plaidWebhooks, SyncRunner runner) {
        this.inbox = inbox;
        this.plaidWebhooks = plaidWebhooks;
        this.runner = runner;
    }

    @Incoming("webhook-received")
    public Uni<Void> onWebhook(ConsumerRecord<String, String> record) {
        return inbox.consume(record, WebhookReceived.class, plaidWebhooks::apply).invoke(runner::wake);
    }
}
