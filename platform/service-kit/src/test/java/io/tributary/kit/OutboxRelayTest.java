package io.tributary.kit;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.Topics;
import io.tributary.contracts.TributaryEvent;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.SyncRequested;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.kit.fixture.PaymentService;
import io.tributary.kit.outbox.Outbox;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.testsupport.TestKafka;
import io.tributary.testsupport.TopicRecord;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class OutboxRelayTest {

    private static final Instant BASE = Instant.parse("2026-11-21T00:00:00Z");

    @Inject
    PaymentService payments;

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    @Test
    void shouldPublishEveryCommittedEventExactlyAsWrittenInCommitOrderPerKey() throws Throwable {
        String run = "run-" + UUID.randomUUID();
        List<UUID> keys = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            keys.add(UUID.randomUUID());
        }
        Map<UUID, SyncRequested> committed = new LinkedHashMap<>();
        // 100 transactions of 10 events, one per key: each key's events are committed in sequence order
        for (int round = 0; round < 100; round++) {
            List<TributaryEvent> events = new ArrayList<>();
            for (UUID key : keys) {
                SyncRequested event = syncRequested(run, key, round);
                committed.put(event.syncJobId(), event);
                events.add(event);
            }
            write("order-" + round, events);
        }

        List<TopicRecord> published = KafkaTopics.read(Topics.SYNC_REQUESTED, 1000,
                record -> record.value().contains(run), Duration.ofSeconds(60));

        assertThat(published).hasSize(1000);
        Map<UUID, SyncRequested> received = published.stream()
                .map(record -> EventCodec.fromJson(record.value(), SyncRequested.class))
                .collect(Collectors.toMap(SyncRequested::syncJobId, event -> event));
        assertThat(received).isEqualTo(committed);
        for (UUID key : keys) {
            List<Instant> order = published.stream()
                    .filter(record -> record.key().equals(key.toString()))
                    .map(record -> EventCodec.fromJson(record.value(), SyncRequested.class).requestedAt())
                    .toList();
            assertThat(order).hasSize(100).isSorted();
        }
        assertThat(published.stream().map(record -> record.header("ce_id")).collect(Collectors.toSet())).hasSize(1000);
        TopicRecord first = published.get(0);
        assertThat(first.header("ce_type")).isEqualTo(EventType.SYNC_REQUESTED.cloudEventType());
        assertThat(first.header("ce_source")).isEqualTo("/tributary/kit-test");
        assertThat(first.header("ce_specversion")).isEqualTo("1.0");
        assertThat(Instant.parse(first.header("ce_time"))).isAfter(Instant.now().minus(Duration.ofMinutes(5)));
        assertThat(UUID.fromString(first.header("ce_id"))).isNotNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pending(run)).isZero());
    }

    @Test
    void shouldPublishNothingFromARolledBackTransaction() throws Throwable {
        String run = "run-" + UUID.randomUUID();
        UUID key = UUID.randomUUID();
        SyncRequested rolledBack = syncRequested(run, key, 1);
        SyncRequested committedAfter = syncRequested(run, key, 2);

        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(
                () -> payments.recordThenFail("declined", List.of(rolledBack))))
                .hasMessageContaining("card declined");
        write("accepted", List.of(committedAfter));

        // the relay publishes in order: once the later event is on the topic, the earlier one would be too
        List<TopicRecord> published = KafkaTopics.read(Topics.SYNC_REQUESTED, 1, record -> record.value().contains(run),
                Duration.ofSeconds(30));
        assertThat(published).hasSize(1);
        assertThat(EventCodec.fromJson(published.get(0).value(), SyncRequested.class)).isEqualTo(committedAfter);
        assertThat(KafkaTopics.readAll(Topics.SYNC_REQUESTED, Duration.ofSeconds(1)).stream()
                .filter(record -> record.value().contains(rolledBack.syncJobId().toString()))).isEmpty();
        assertThat(count("SELECT count(*) FROM kit_test.outbox_events WHERE payload::jsonb->>'syncJobId' = $1",
                rolledBack.syncJobId().toString())).isZero();
        assertThat(count("SELECT count(*) FROM kit_test.payments WHERE reference = $1", "declined")).isZero();
    }

    @Test
    void shouldKeepEventsPendingWhileTheBrokerIsDownAndDeliverAllAfterItReturns() throws Throwable {
        assertThat(TestKafka.isEmbedded()).as("this test stops the in-JVM broker").isTrue();
        String run = "run-" + UUID.randomUUID();
        UUID key = UUID.randomUUID();
        List<SyncRequested> events = new ArrayList<>();
        TestKafka.stopBroker();
        try {
            for (int i = 0; i < 50; i++) {
                SyncRequested event = syncRequested(run, key, i);
                events.add(event);
                write("outage-" + i, List.of(event));
            }
            // the relay keeps trying and failing; not one event is dropped meanwhile
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(pending(run)).isEqualTo(50));
        } finally {
            TestKafka.startBroker();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(pending(run)).isZero());
        List<TopicRecord> published = KafkaTopics.read(Topics.SYNC_REQUESTED, 50, record -> record.value().contains(run),
                Duration.ofSeconds(30));
        List<SyncRequested> received = published.stream()
                .map(record -> EventCodec.fromJson(record.value(), SyncRequested.class))
                .toList();
        // a batch cut off by the outage may be sent twice (at least once); consumers drop the repeat by ce_id
        assertThat(received.stream().distinct().toList()).isEqualTo(events);
        Set<String> ids = published.stream().map(record -> record.header("ce_id")).collect(Collectors.toSet());
        assertThat(ids).hasSize(50);
    }

    @Test
    void shouldPublishEntriesWrittenOnASqlClientTransactionUnderTheirChosenIds() {
        String run = "run-" + UUID.randomUUID();
        UUID key = UUID.randomUUID();
        // more than one statement's worth of rows
        List<Outbox.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 620; i++) {
            entries.add(new Outbox.Entry(UUID.randomUUID(), syncRequested(run, key, i)));
        }
        UUID paymentId = UUID.randomUUID();

        List<UUID> ids = pool.withTransaction(connection -> connection
                .preparedQuery("INSERT INTO kit_test.payments (id, reference, amount, currency) VALUES ($1, $2, 10, 'GBP')")
                .execute(Tuple.of(paymentId, run))
                .chain(() -> outbox.addEntries(connection, entries)))
                .await().atMost(Duration.ofSeconds(30));

        assertThat(ids).isEqualTo(entries.stream().map(Outbox.Entry::ceId).toList());
        List<TopicRecord> published = KafkaTopics.read(Topics.SYNC_REQUESTED, 620, record -> record.value().contains(run),
                Duration.ofSeconds(60));
        assertThat(published.stream().map(record -> UUID.fromString(record.header("ce_id"))).toList())
                .isEqualTo(ids);
        assertThat(published.stream().map(record -> EventCodec.fromJson(record.value(), SyncRequested.class)).toList())
                .isEqualTo(entries.stream().map(Outbox.Entry::event).toList());
        assertThat(count("SELECT count(*) FROM kit_test.payments WHERE reference = $1", run)).isOne();
    }

    @Test
    void shouldWriteNoEntryOnASqlClientTransactionThatRollsBackOrOnAConnectionWithoutOne() {
        String run = "run-" + UUID.randomUUID();
        List<Outbox.Entry> entries = List.of(new Outbox.Entry(UUID.randomUUID(),
                syncRequested(run, UUID.randomUUID(), 0)));

        assertThatThrownBy(() -> pool.withTransaction(connection -> outbox.addEntries(connection, entries)
                        .chain(() -> Uni.createFrom().failure(new IllegalStateException("failed after the write"))))
                .await().atMost(Duration.ofSeconds(10)))
                .hasMessageContaining("failed after the write");
        assertThatThrownBy(() -> pool.withConnection(connection -> outbox.addEntries(connection, entries))
                .await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a transaction");

        assertThat(count("SELECT count(*) FROM kit_test.outbox_events WHERE payload::jsonb->>'userId' = $1", run)).isZero();
    }

    @Test
    void shouldExposeOutboxMetersToPrometheus() throws Throwable {
        write("metered", List.of(syncRequested("run-" + UUID.randomUUID(), UUID.randomUUID(), 0)));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("integrations_outbox_pending "))
                .body(containsString("integrations_outbox_published_total "))
                .body(containsString("integrations_outbox_publish_lag_seconds_count ")));
    }

    private void write(String reference, List<TributaryEvent> events) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> payments.record(reference, events));
    }

    private long pending(String run) {
        return count("SELECT count(*) FROM kit_test.outbox_events WHERE sent_at IS NULL AND payload::jsonb->>'userId' = $1", run);
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    private static SyncRequested syncRequested(String run, UUID integration, int sequence) {
        return new SyncRequested(UUID.randomUUID(), integration, run, "plaid", IntegrationCategory.BANK,
                SyncType.INCREMENTAL, SyncTrigger.SCHEDULED, BASE.plusMillis(sequence));
    }
}
