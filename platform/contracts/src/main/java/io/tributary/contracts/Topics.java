package io.tributary.contracts;

/** Kafka topic names of the platform. A topic's dead letters go to {@code <topic>.dlq}. */
public final class Topics {

    public static final String SYNC_REQUESTED = "sync-requested";
    public static final String SYNC_STATUS = "sync-status";
    public static final String TRANSACTIONS_SYNCED = "transactions-synced";
    public static final String WEBHOOK_RECEIVED = "webhook-received";
    public static final String CREDENTIAL_EVENTS = "credential-events";
    public static final String INTEGRATION_EVENTS = "integration-events";
    public static final String BALANCE_ALERTS = "balance-alerts";

    private static final String DEAD_LETTER_SUFFIX = ".dlq";

    private Topics() {
    }

    public static String deadLetterTopicOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
