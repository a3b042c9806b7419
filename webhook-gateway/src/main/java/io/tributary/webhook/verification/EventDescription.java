package io.tributary.webhook.verification;

/**
 * How a delivery names its event: the provider's event id (null: the body's hash is used), its
 * type, the provider account it concerns (the Kafka key), and whether it is only a ping (Xero's
 * intent-to-receive), which is answered but neither stored nor published.
 */
public record EventDescription(String eventId, String eventType, String account, boolean ping) {
}
