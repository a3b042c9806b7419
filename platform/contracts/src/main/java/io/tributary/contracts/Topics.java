package io.tributary.contracts;

import java.util.List;
import java.util.stream.Stream;

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

    /** Every event topic of the platform. */
    public static final List<String> ALL = List.of(SYNC_REQUESTED, SYNC_STATUS, TRANSACTIONS_SYNCED,
            WEBHOOK_RECEIVED, CREDENTIAL_EVENTS, INTEGRATION_EVENTS, BALANCE_ALERTS);

    private Topics() {
    }

    /** Every event topic and its dead-letter topic: what a deployment provisions. */
    public static List<String> allWithDeadLetterTopics() {
        return ALL.stream().flatMap(topic -> Stream.of(topic, deadLetterTopicOf(topic))).toList();
    }

    public static String deadLetterTopicOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
