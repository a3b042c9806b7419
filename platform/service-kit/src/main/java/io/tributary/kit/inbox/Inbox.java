package io.tributary.kit.inbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.InvalidEventException;
import io.tributary.contracts.TributaryEvent;
import io.tributary.kit.config.KitConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Applies a consumed event's effect exactly once: the event's {@code ce_id} is recorded in the
 * inbox table in the same transaction as the effect, so a redelivered event finds its id there and
 * has no second effect.
 * <p>
 * A failing effect is retried with exponential backoff; when it still fails, or the payload is
 * not a valid event, the returned failure makes the Kafka connector send the record to
 * {@code <topic>.dlq} (channel setting {@code failure-strategy=dead-letter-queue}) with the reason
 * in its headers, and the partition moves on.
 */
@ApplicationScoped
public class Inbox {

    private final KitConfig config;
    private final InboxSql sql;

    public Inbox(KitConfig config) {
        this.config = config;
        this.sql = new InboxSql(config.dbSchema());
    }

    /**
     * Parses the record as {@code type}, then runs {@code effect} in a transaction, once per event id.
     * The effect may use Panache and the outbox: it joins that transaction.
     */
    public <E extends TributaryEvent> Uni<Void> consume(ConsumerRecord<String, String> record, Class<E> type,
            Function<E, Uni<?>> effect) {
        String eventId = eventId(record);
        String consumer = config.serviceName() + "/" + record.topic();
        E event;
        try {
            event = EventCodec.fromJson(record.value(), type);
        } catch (InvalidEventException e) {
            Log.warnf("Rejected %s record %s (partition %d, offset %d): %s", record.topic(), eventId,
                    record.partition(), record.offset(), e.getMessage());
            return Uni.createFrom().failure(e); // not retried: it will not get better
        }
        return withRetries(onCallerContext(() -> runOnce(consumer, eventId, record.topic(), () -> effect.apply(event))),
                record, eventId);
    }

    /**
     * Runs {@code effect} in a new transaction unless {@code eventId} was already processed by
     * {@code consumer}; answers whether it ran.
     */
    public Uni<Boolean> runOnce(String consumer, String eventId, String topic, java.util.function.Supplier<Uni<?>> effect) {
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(sql.recordIfNew())
                        .setParameter("consumer", consumer)
                        .setParameter("eventId", eventId)
                        .setParameter("topic", topic)
                        .executeUpdate())
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        Log.debugf("%s already processed %s; skipping the redelivery", consumer, eventId);
                        return Uni.createFrom().item(false);
                    }
                    return effect.get().replaceWith(true);
                }));
    }

    /** Forgets processed ids older than the retention, long after Kafka could redeliver them. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeOldEntries() {
        OffsetDateTime cutoff = OffsetDateTime.now().minus(config.inbox().retention());
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                        .createNativeQuery(sql.deleteBefore()).setParameter("cutoff", cutoff).executeUpdate()))
                .replaceWithVoid();
    }

    private Uni<Void> withRetries(Uni<Boolean> attempt, ConsumerRecord<String, String> record, String eventId) {
        KitConfig.Inbox retry = config.inbox();
        return attempt
                .onFailure().retry()
                .withBackOff(retry.initialBackoff(), retry.maxBackoff()).withJitter(0.2)
                .atMost(Math.max(0, retry.maxAttempts() - 1))
                .onFailure().invoke(e -> Log.warnf("%s record %s failed %d times and goes to the dead-letter topic: %s",
                        record.topic(), eventId, retry.maxAttempts(), e.toString()))
                .onFailure().transform(e -> new EventHandlingException(record.topic(), eventId, retry.maxAttempts(), e))
                .replaceWithVoid();
    }

    /**
     * Retries are resubscribed from a timer thread; Hibernate Reactive needs the Vert.x context the
     * record was delivered on, so every attempt is dispatched back to it.
     */
    private static <T> Uni<T> onCallerContext(java.util.function.Supplier<Uni<T>> attempt) {
        Context context = Vertx.currentContext();
        Uni<T> deferred = Uni.createFrom().deferred(attempt::get);
        if (context == null) {
            return deferred;
        }
        Executor onContext = command -> context.runOnContext(ignored -> command.run());
        return deferred.runSubscriptionOn(onContext);
    }

    /** The CloudEvents id; records from producers without one are identified by their position. */
    static String eventId(ConsumerRecord<String, String> record) {
        Header ceId = record.headers().lastHeader("ce_id");
        if (ceId != null && ceId.value() != null && ceId.value().length > 0) {
            return new String(ceId.value(), StandardCharsets.UTF_8);
        }
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
