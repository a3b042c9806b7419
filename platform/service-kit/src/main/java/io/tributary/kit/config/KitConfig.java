package io.tributary.kit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;

import java.time.Duration;

/** Settings of the shared service kit, under {@code tributary.*}. */
@ConfigMapping(prefix = "tributary")
public interface KitConfig {

    /** Name of the service, e.g. {@code integration-service}; the CloudEvents source of what it publishes. */
    String serviceName();

    /** The PostgreSQL schema the service owns; its outbox and inbox tables live there. */
    @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}", message = "must be a lower-case SQL identifier")
    String dbSchema();

    Outbox outbox();

    Inbox inbox();

    interface Outbox {

        /** Whether this replica runs the relay that publishes the outbox to Kafka. */
        @WithDefault("true")
        boolean relayEnabled();

        /** Rows published per database transaction. */
        @WithDefault("500")
        int batchSize();

        /** How often the relay looks for rows when no NOTIFY woke it (lost notification, reconnect). */
        @WithDefault("2s")
        Duration pollInterval();

        /** How long the broker may take to acknowledge a record before the batch is retried. */
        @WithDefault("30s")
        Duration sendTimeout();

        /** Longest wait between attempts while Kafka or PostgreSQL is unreachable. */
        @WithDefault("10s")
        Duration maxRetryBackoff();

        /** How often the pending-events gauge is refreshed from the table. */
        @WithDefault("5s")
        Duration pendingCountInterval();

        /** How long sent rows are kept for inspection before they are deleted. */
        @WithDefault("24h")
        Duration sentRetention();
    }

    interface Inbox {

        /** Attempts at a consumed event's effect before it goes to the dead-letter topic. */
        @WithDefault("3")
        int maxAttempts();

        /** Wait before the second attempt; doubles on each further attempt, with jitter. */
        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();

        /** How long processed event ids are remembered; longer than Kafka could redeliver them. */
        @WithDefault("14d")
        Duration retention();
    }
}
