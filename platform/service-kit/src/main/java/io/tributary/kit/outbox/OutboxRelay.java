package io.tributary.kit.outbox;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.tributary.kit.config.KitConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes committed outbox rows to Kafka, oldest first, and marks them sent once the broker
 * acknowledged them. Runs on its own thread: woken at once by {@link OutboxNotifications}
 * (PostgreSQL {@code LISTEN/NOTIFY}), and every poll interval in case a notification was missed.
 * A broker or database outage leaves rows pending; they are retried with growing pauses and
 * nothing is lost. Each batch is one Kafka transaction: a batch that failed half way is aborted
 * (invisible to {@code read_committed} consumers) and sent again whole, so a key's events never
 * appear out of order; a batch committed to Kafka but not marked sent is sent again, and consumers
 * drop the repeat by {@code ce_id}.
 */
@ApplicationScoped
public class OutboxRelay {

    private final Pool pool;
    private final KitConfig.Outbox config;
    private final String schema;
    private final OutboxMetrics metrics;
    private final Map<String, Object> kafkaConfig;
    private final Semaphore wakeUps = new Semaphore(0);
    private final String instanceId = java.util.UUID.randomUUID().toString();

    private volatile boolean running;
    private boolean transactionsInitialized;
    private Thread thread;
    private KafkaProducer<String, String> producer;
    private Instant nextPurge = Instant.EPOCH;

    public OutboxRelay(Pool pool, KitConfig config, OutboxMetrics metrics,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.pool = pool;
        this.config = config.outbox();
        this.schema = config.dbSchema();
        this.metrics = metrics;
        this.kafkaConfig = kafkaConfig;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.relayEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        producer = newProducer();
        running = true;
        thread = new Thread(this::relayLoop, "outbox-relay-" + schema);
        thread.setDaemon(true);
        thread.start();
        Log.infof("Outbox relay started for schema %s", schema);
    }

    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        wakeUp();
        try {
            thread.join(config.sendTimeout().toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        Log.infof("Outbox relay stopped for schema %s", schema);
    }

    /** Asks the relay to look for new rows now. */
    public void wakeUp() {
        wakeUps.release();
    }

    private void relayLoop() {
        Duration backoff = Duration.ZERO;
        boolean failing = false;
        while (running) {
            try {
                int published = publishBatch();
                if (failing) {
                    Log.infof("Outbox relay for %s recovered", schema);
                    failing = false;
                }
                backoff = Duration.ZERO;
                purgeSentRowsWhenDue();
                if (published < config.batchSize()) {
                    awaitWakeUp(config.pollInterval());
                }
            } catch (Exception e) {
                metrics.publishFailed();
                renewProducer();
                backoff = nextBackoff(backoff);
                if (!failing) {
                    // one line per outage, not one per attempt
                    Log.warnf("Outbox relay for %s cannot publish (%s); events stay pending, retrying every %ss at most",
                            schema, describe(e), config.maxRetryBackoff().toSeconds());
                    failing = true;
                }
                awaitWakeUp(backoff);
            }
        }
    }

    /** Publishes one batch of pending rows in one database transaction; returns how many. */
    int publishBatch() throws Exception {
        SqlConnection connection = pool.getConnection().await().atMost(config.sendTimeout());
        Transaction transaction = null;
        boolean kafkaTransactionOpen = false;
        try {
            transaction = connection.begin().await().atMost(config.sendTimeout());
            boolean relayLock = connection.preparedQuery(OutboxSql.tryRelayLock())
                    .execute(Tuple.of("outbox-relay:" + schema)).await().atMost(config.sendTimeout())
                    .iterator().next().getBoolean(0);
            if (!relayLock) {
                transaction.rollback().await().atMost(config.sendTimeout());
                return 0; // another replica is relaying; it keeps the order
            }
            RowSet<Row> rows = connection.preparedQuery(OutboxSql.claimPending(schema))
                    .execute(Tuple.of(config.batchSize())).await().atMost(config.sendTimeout());
            List<Long> sequence = new ArrayList<>(rows.size());
            List<OffsetDateTime> createdAt = new ArrayList<>(rows.size());
            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(rows.size());
            if (rows.size() > 0) {
                ensureTransactions();
                producer.beginTransaction();
                kafkaTransactionOpen = true;
            }
            for (Row row : rows) {
                sequence.add(row.getLong("seq"));
                createdAt.add(row.getOffsetDateTime("created_at"));
                acks.add(send(row));
            }
            if (!acks.isEmpty()) {
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                        .get(config.sendTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
                producer.commitTransaction();
                kafkaTransactionOpen = false;
                connection.preparedQuery(OutboxSql.markSent(schema))
                        .execute(Tuple.of(sequence.toArray(Long[]::new))).await().atMost(config.sendTimeout());
            }
            transaction.commit().await().atMost(config.sendTimeout());
            metrics.published(createdAt);
            return sequence.size();
        } catch (Exception e) {
            if (kafkaTransactionOpen) {
                abortQuietly();
            }
            if (transaction != null) {
                rollbackQuietly(transaction);
            }
            throw e;
        } finally {
            connection.close().await().atMost(config.sendTimeout());
        }
    }

    private CompletableFuture<RecordMetadata> send(Row row) {
        ProducerRecord<String, String> record = new ProducerRecord<>(row.getString("topic"), row.getString("event_key"),
                row.getString("payload"));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", row.getUUID("id").toString());
        header(record, "ce_type", row.getString("ce_type"));
        header(record, "ce_source", row.getString("ce_source"));
        header(record, "ce_time", row.getOffsetDateTime("ce_time").toInstant().toString());
        header(record, "content-type", "application/json");
        CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                ack.complete(metadata);
            } else {
                ack.completeExceptionally(error);
            }
        });
        return ack;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A producer that timed out may keep a broken idempotence state; a fresh one starts clean. */
    private synchronized void renewProducer() {
        if (!running) {
            return;
        }
        producer.close(Duration.ZERO);
        producer = newProducer();
    }

    /**
     * A transactional producer; the id is unique per relay instance, since the advisory lock, not
     * Kafka's fencing, already makes one relay active at a time. Transactions are initialized on
     * first use, so a broker that is down at start-up delays nothing.
     */
    private KafkaProducer<String, String> newProducer() {
        KafkaProducer<String, String> created = new KafkaProducer<>(producerConfig());
        transactionsInitialized = false;
        return created;
    }

    private void ensureTransactions() {
        if (!transactionsInitialized) {
            producer.initTransactions();
            transactionsInitialized = true;
        }
    }

    private void purgeSentRowsWhenDue() {
        Instant now = Instant.now();
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(Duration.ofMinutes(10));
        OffsetDateTime cutoff = OffsetDateTime.now().minus(config.sentRetention());
        int deleted = pool.preparedQuery(OutboxSql.deleteSentBefore(schema)).execute(Tuple.of(cutoff))
                .await().atMost(config.sendTimeout()).rowCount();
        if (deleted > 0) {
            Log.debugf("Deleted %d sent outbox rows of %s older than %s", deleted, schema, config.sentRetention());
        }
    }

    private void awaitWakeUp(Duration atMost) {
        try {
            if (wakeUps.tryAcquire(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUps.drainPermits(); // many notifications, one look
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private Duration nextBackoff(Duration current) {
        Duration next = current.isZero() ? Duration.ofMillis(200) : current.multipliedBy(2);
        return next.compareTo(config.maxRetryBackoff()) > 0 ? config.maxRetryBackoff() : next;
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            Log.debug("Aborting the Kafka transaction failed; the producer is renewed", e);
        }
    }

    private void rollbackQuietly(Transaction transaction) {
        try {
            transaction.rollback().await().atMost(config.sendTimeout());
        } catch (RuntimeException e) {
            Log.debug("Outbox batch rollback failed; the connection is closed anyway", e);
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName();
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> producerConfig = new HashMap<>(kafkaConfig);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        // idempotence keeps per-partition order through the producer's own retries
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        int timeoutMs = (int) config.sendTimeout().toMillis();
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        // Kafka wants delivery.timeout >= linger + request.timeout
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs / 2, 30_000));
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + schema);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "outbox-relay-" + schema + "-" + instanceId);
        producerConfig.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.max(timeoutMs * 2, 10_000));
        return producerConfig;
    }
}
