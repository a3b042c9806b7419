package io.tributary.bank.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.tributary.bank.PlaidStubTestResource;
import io.tributary.bank.PlaidStubs;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.TransactionsSynced;
import io.tributary.contracts.event.WebhookReceived;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Plaid's webhooks, as webhook-gateway publishes them on webhook-received, applied to connections. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(PlaidStubTestResource.class)
class PlaidWebhookFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    WireMockServer plaid;

    @Inject
    Pool pool;

    @Test
    void syncUpdatesAvailableRunsAnIncrementalSyncOnceEvenWhenRedelivered() throws Exception {
        Item item = linkedItem("w0");
        PlaidStubs.page(plaid, item.token, "w0", PlaidStubs.transactions("w", 0, 3), List.of(), List.of(), "w1", false);
        UUID eventId = UUID.randomUUID();
        String body = "{\"webhook_type\":\"TRANSACTIONS\",\"webhook_code\":\"SYNC_UPDATES_AVAILABLE\",\"item_id\":\""
                + item.itemId + "\",\"initial_update_complete\":true,\"historical_update_complete\":true,"
                + "\"environment\":\"sandbox\"}";

        publish(item, body, eventId);
        await().atMost(WAIT).untilAsserted(() -> assertThat(row("SELECT sync_cursor FROM bank.bank_connections "
                + "WHERE id = $1", item.connection).getString("sync_cursor")).isEqualTo("w1"));
        publish(item, body, eventId);

        List<TransactionsSynced> batches = KafkaTopics.read(Topics.TRANSACTIONS_SYNCED, 1,
                        record -> record.key().equals(item.integration.toString()), WAIT).stream()
                .map(record -> EventCodec.fromJson(record.value(), TransactionsSynced.class)).toList();
        assertThat(batches.get(0).transactions()).hasSize(3);
        assertThat(batches.get(0).syncJobId()).isNull();
        // a second webhook publishing proves the redelivery was consumed before counting runs
        publish(item, "{\"webhook_type\":\"ITEM\",\"webhook_code\":\"WEBHOOK_UPDATE_ACKNOWLEDGED\",\"item_id\":\""
                + item.itemId + "\",\"new_webhook_url\":\"https://example.test/hook\",\"environment\":\"sandbox\"}",
                UUID.randomUUID());
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> assertThat(row(
                "SELECT count(*) FROM bank.transaction_syncs WHERE connection_id = $1", item.connection).getLong(0))
                .isOne());
        Row run = row("SELECT sync_type, status, sync_job_id FROM bank.transaction_syncs WHERE connection_id = $1",
                item.connection);
        assertThat(run.getString("sync_type")).isEqualTo("webhook");
        assertThat(run.getString("status")).isEqualTo("completed");
        // a run nobody asked integration-service for reports no sync-status
        assertThat(KafkaTopics.readAll(Topics.SYNC_STATUS, Duration.ofSeconds(1)).stream()
                .filter(record -> record.key().equals(item.integration.toString()))).isEmpty();
    }

    @Test
    void itemWebhooksMoveTheConnectionsState() {
        Item item = linkedItem(null);

        publish(item, "{\"webhook_type\":\"ITEM\",\"webhook_code\":\"ERROR\",\"item_id\":\"" + item.itemId
                + "\",\"error\":{\"error_type\":\"ITEM_ERROR\",\"error_code\":\"ITEM_LOGIN_REQUIRED\","
                + "\"error_message\":\"the login details of this item have changed\",\"display_message\":null,"
                + "\"status\":400},\"environment\":\"sandbox\"}", UUID.randomUUID());
        await().atMost(WAIT).untilAsserted(() -> assertThat(row("SELECT requires_reauth FROM bank.bank_connections "
                + "WHERE id = $1", item.connection).getBoolean("requires_reauth")).isTrue());

        publish(item, "{\"webhook_type\":\"ITEM\",\"webhook_code\":\"LOGIN_REPAIRED\",\"item_id\":\"" + item.itemId
                + "\",\"environment\":\"sandbox\"}", UUID.randomUUID());
        await().atMost(WAIT).untilAsserted(() -> assertThat(row("SELECT requires_reauth FROM bank.bank_connections "
                + "WHERE id = $1", item.connection).getBoolean("requires_reauth")).isFalse());

        publish(item, "{\"webhook_type\":\"ITEM\",\"webhook_code\":\"PENDING_EXPIRATION\",\"item_id\":\""
                + item.itemId + "\",\"consent_expiration_time\":\"2027-01-15T13:25:17.766Z\",\"environment\":"
                + "\"sandbox\"}", UUID.randomUUID());
        await().atMost(WAIT).untilAsserted(() -> assertThat(row("SELECT consent_expires_at FROM "
                + "bank.bank_connections WHERE id = $1", item.connection).getOffsetDateTime("consent_expires_at"))
                .isEqualTo(OffsetDateTime.parse("2027-01-15T13:25:17.766Z")));

        publish(item, "{\"webhook_type\":\"ITEM\",\"webhook_code\":\"USER_PERMISSION_REVOKED\",\"item_id\":\""
                + item.itemId + "\",\"error\":null,\"environment\":\"sandbox\"}", UUID.randomUUID());
        await().atMost(WAIT).untilAsserted(() -> {
            Row connection = row("SELECT requires_reauth, last_error FROM bank.bank_connections WHERE id = $1",
                    item.connection);
            assertThat(connection.getBoolean("requires_reauth")).isTrue();
            assertThat(connection.getString("last_error")).contains("revoked");
        });
    }

    @Test
    void aWebhookOfAnUnknownItemOrAnotherProviderChangesNothing() {
        Item item = linkedItem(null);
        publish(new Item(item.integration, item.connection, item.token, "item-nobody-knows"),
                "{\"webhook_type\":\"TRANSACTIONS\",\"webhook_code\":\"SYNC_UPDATES_AVAILABLE\",\"item_id\":"
                        + "\"item-nobody-knows\",\"environment\":\"sandbox\"}", UUID.randomUUID());
        WebhookReceived stripe = new WebhookReceived(UUID.randomUUID(), "stripe", "evt_1", "acct_1",
                "payout.paid", null, Instant.now(), json("{\"id\":\"evt_1\",\"item_id\":\"" + item.itemId + "\"}"));
        KafkaTopics.publish(Topics.WEBHOOK_RECEIVED, stripe.partitionKey(), EventCodec.toJson(stripe),
                KafkaTopics.cloudEventHeaders(UUID.randomUUID().toString(), EventType.WEBHOOK_RECEIVED.cloudEventType()));

        await().during(Duration.ofSeconds(3)).atMost(WAIT).untilAsserted(() -> assertThat(row(
                "SELECT count(*) FROM bank.transaction_syncs WHERE connection_id = $1", item.connection).getLong(0))
                .isZero());
    }

    private record Item(UUID integration, UUID connection, String token, String itemId) {
    }

    private Item linkedItem(String cursor) {
        UUID integration = UUID.randomUUID();
        UUID connection = UUID.randomUUID();
        String itemId = "item-" + connection;
        String token = PlaidStubs.token();
        pool.preparedQuery("INSERT INTO bank.bank_connections (id, integration_id, user_id, provider, external_id, "
                        + "sync_cursor) VALUES ($1, $2, 'alice', 'plaid', $3, $4)")
                .execute(Tuple.of(connection, integration, itemId, cursor)).await().atMost(Duration.ofSeconds(10));
        PlaidStubs.credential(plaid, integration, token, itemId);
        return new Item(integration, connection, token, itemId);
    }

    /** As webhook-gateway publishes a verified Plaid webhook: the body as received, keyed by plaid:item. */
    private static void publish(Item item, String body, UUID eventId) {
        JsonNode payload = json(body);
        String eventType = payload.path("webhook_type").asText() + "." + payload.path("webhook_code").asText();
        // Plaid sends no event id; the gateway names a delivery by its body's hash
        WebhookReceived webhook = new WebhookReceived(eventId, "plaid", "sha256:" + Integer.toHexString(body.hashCode()),
                item.itemId, eventType, null, Instant.now(), payload);
        KafkaTopics.publish(Topics.WEBHOOK_RECEIVED, webhook.partitionKey(), EventCodec.toJson(webhook),
                KafkaTopics.cloudEventHeaders(eventId.toString(), EventType.WEBHOOK_RECEIVED.cloudEventType()));
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Row row(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(Duration.ofSeconds(10))
                .iterator().next();
    }
}
