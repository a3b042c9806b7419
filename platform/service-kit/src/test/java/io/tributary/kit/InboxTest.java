package io.tributary.kit;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import io.tributary.kit.fixture.AppliedEventsConsumer;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.testsupport.TopicRecord;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class InboxTest {

    private static final String TOPIC = Topics.INTEGRATION_EVENTS;
    private static final String DLQ = Topics.deadLetterTopicOf(TOPIC);

    @Inject
    Pool pool;

    @Inject
    AppliedEventsConsumer consumer;

    @Test
    void shouldApplyARedeliveredEventOnce() {
        UUID key = UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        String ceId = UUID.randomUUID().toString();
        String payload = integrationEvent(key, user, "xero");

        publish(key, ceId, payload);
        publish(key, ceId, payload); // the same event again, as after a lost acknowledgement
        String laterUser = "user-" + UUID.randomUUID();
        publish(key, UUID.randomUUID().toString(), integrationEvent(key, laterUser, "xero"));

        // same key, same partition: when the later event is applied, both copies were handled before it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(applied(laterUser)).isEqualTo(1));
        assertThat(applied(user)).isEqualTo(1);
        assertThat(consumer.attemptsFor(user)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM kit_test.inbox_events WHERE event_id = $1", ceId)).isEqualTo(1);
    }

    @Test
    void shouldSendAPoisonMessageToTheDeadLetterTopicAndKeepConsuming() {
        UUID key = UUID.randomUUID();
        String poisonId = UUID.randomUUID().toString();
        String nextUser = "user-" + UUID.randomUUID();

        publish(key, poisonId, "{\"version\": 1, \"integrationId\": not json at all");
        publish(key, UUID.randomUUID().toString(), integrationEvent(key, nextUser, "stripe"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(applied(nextUser)).isEqualTo(1));
        TopicRecord dead = deadLetter(poisonId);
        assertThat(dead.value()).isEqualTo("{\"version\": 1, \"integrationId\": not json at all");
        assertThat(dead.key()).isEqualTo(key.toString());
        assertThat(dead.header("dead-letter-reason")).contains("integration-events payload is not valid JSON");
        assertThat(dead.header("dead-letter-topic")).isEqualTo(TOPIC);
        assertThat(dead.header("dead-letter-offset")).isNotBlank();
    }

    @Test
    void shouldDeadLetterAnEventMissingARequiredFieldWithoutRetrying() throws Exception {
        UUID key = UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        String ceId = UUID.randomUUID().toString();
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) EventCodec.mapper()
                .readTree(integrationEvent(key, user, "xero"));
        json.remove("provider");

        publish(key, ceId, json.toString());

        TopicRecord dead = deadLetter(ceId);
        assertThat(dead.header("dead-letter-reason")).contains("provider");
        assertThat(consumer.attemptsFor(user)).isZero();
    }

    @Test
    void shouldRetryAFailingEffectThenDeadLetterItWithNothingApplied() {
        UUID key = UUID.randomUUID();
        String failingUser = "user-" + UUID.randomUUID();
        String failingId = UUID.randomUUID().toString();
        String nextUser = "user-" + UUID.randomUUID();

        publish(key, failingId, integrationEvent(key, failingUser, "always-fails"));
        publish(key, UUID.randomUUID().toString(), integrationEvent(key, nextUser, "xero"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(applied(nextUser)).isEqualTo(1));
        assertThat(consumer.attemptsFor(failingUser)).isEqualTo(3);
        assertThat(applied(failingUser)).as("each attempt rolled back its own write").isZero();
        assertThat(count("SELECT count(*) FROM kit_test.inbox_events WHERE event_id = $1", failingId)).isZero();
        TopicRecord dead = deadLetter(failingId);
        assertThat(dead.header("dead-letter-reason"))
                .contains("failed after 3 attempt(s)")
                .contains("downstream refused");
        assertThat(dead.header("ce_id")).isEqualTo(failingId);
    }

    @Test
    void shouldApplyAnEventOnceWhenASecondAttemptSucceeds() {
        UUID key = UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();

        publish(key, UUID.randomUUID().toString(), integrationEvent(key, user, "fails-once"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(applied(user)).isEqualTo(1));
        assertThat(consumer.attemptsFor(user)).isEqualTo(2);
    }

    private TopicRecord deadLetter(String ceId) {
        List<TopicRecord> dead = KafkaTopics.read(DLQ, 1, record -> ceId.equals(record.header("ce_id")),
                Duration.ofSeconds(30));
        assertThat(dead).as("dead letter for " + ceId).hasSize(1);
        return dead.get(0);
    }

    private static void publish(UUID key, String ceId, String payload) {
        KafkaTopics.publish(TOPIC, key.toString(), payload,
                KafkaTopics.cloudEventHeaders(ceId, EventType.INTEGRATION_EVENT.cloudEventType()));
    }

    private static String integrationEvent(UUID integration, String user, String provider) {
        return EventCodec.toJson(new IntegrationEvent(integration, user, provider, IntegrationCategory.ACCOUNTING,
                IntegrationEventType.UPDATED, null, Instant.now()));
    }

    private long applied(String user) {
        return count("SELECT count(*) FROM kit_test.applied_events WHERE user_id = $1", user);
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }
}
