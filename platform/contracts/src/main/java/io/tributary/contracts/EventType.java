package io.tributary.contracts;

import io.tributary.contracts.event.BalanceAlert;
import io.tributary.contracts.event.CredentialEvent;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.SyncRequested;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.contracts.event.TransactionsSynced;
import io.tributary.contracts.event.WebhookReceived;

import java.util.Arrays;
import java.util.Optional;

/** The catalogue of events: for each, its topic, CloudEvents type, Java record and JSON Schema. */
public enum EventType {

    SYNC_REQUESTED(Topics.SYNC_REQUESTED, SyncRequested.class),
    SYNC_STATUS(Topics.SYNC_STATUS, SyncStatus.class),
    TRANSACTIONS_SYNCED(Topics.TRANSACTIONS_SYNCED, TransactionsSynced.class),
    WEBHOOK_RECEIVED(Topics.WEBHOOK_RECEIVED, WebhookReceived.class),
    CREDENTIAL_EVENT(Topics.CREDENTIAL_EVENTS, CredentialEvent.class),
    INTEGRATION_EVENT(Topics.INTEGRATION_EVENTS, IntegrationEvent.class),
    BALANCE_ALERT(Topics.BALANCE_ALERTS, BalanceAlert.class);

    private static final String CE_TYPE_PREFIX = "io.tributary.";

    private final String topic;
    private final Class<? extends TributaryEvent> recordType;

    EventType(String topic, Class<? extends TributaryEvent> recordType) {
        this.topic = topic;
        this.recordType = recordType;
    }

    public String topic() {
        return topic;
    }

    /** CloudEvents {@code ce_type}, e.g. {@code io.tributary.sync-requested}. */
    public String cloudEventType() {
        return CE_TYPE_PREFIX + topic;
    }

    public Class<? extends TributaryEvent> recordType() {
        return recordType;
    }

    /** Classpath location of this event's JSON Schema. */
    public String schemaResource() {
        return "schemas/" + topic + ".schema.json";
    }

    public static EventType of(TributaryEvent event) {
        return of(event.getClass());
    }

    public static EventType of(Class<?> recordType) {
        return Arrays.stream(values())
                .filter(type -> type.recordType.equals(recordType))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Not a Tributary event type: " + recordType.getName()));
    }

    public static Optional<EventType> ofTopic(String topic) {
        return Arrays.stream(values()).filter(type -> type.topic.equals(topic)).findFirst();
    }

    public static Optional<EventType> ofCloudEventType(String ceType) {
        return Arrays.stream(values()).filter(type -> type.cloudEventType().equals(ceType)).findFirst();
    }
}
