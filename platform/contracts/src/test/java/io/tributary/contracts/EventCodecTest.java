package io.tributary.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.SyncStatus;
import io.tributary.contracts.event.SyncedTransaction;
import io.tributary.contracts.event.TransactionsSynced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

    static Stream<TributaryEvent> everyEvent() {
        return SampleEvents.all().stream();
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void shouldWriteJsonThatValidatesAgainstItsPublishedSchema(TributaryEvent event) throws Exception {
        EventType type = EventType.of(event);
        JsonNode json = EventCodec.mapper().readTree(EventCodec.toJson(event));

        // validated here with a schema loaded independently of the codec, straight from the published file
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(type.schemaResource())) {
            var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
            assertThat(schema.validate(json)).isEmpty();
        }
        assertThat(json.get("version").asInt()).isEqualTo(1);
        assertThat(json.has("partitionKey")).as("the Kafka key is not part of the payload").isFalse();
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void shouldReadBackAnEqualEvent(TributaryEvent event) {
        String json = EventCodec.toJson(event);

        TributaryEvent read = EventCodec.fromJson(json, event.getClass());

        assertThat(read).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void shouldTolerateFieldsFromANewerProducer(TributaryEvent event) throws Exception {
        ObjectNode json = (ObjectNode) EventCodec.mapper().readTree(EventCodec.toJson(event));
        json.put("version", 2);
        json.put("fieldAddedInVersionTwo", "something new");
        json.putObject("nestedNewThing").put("a", 1);

        TributaryEvent read = EventCodec.fromJson(json.toString(), event.getClass());

        assertThat(read.version()).isEqualTo(2);
        assertThat(read.partitionKey()).isEqualTo(event.partitionKey());
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void shouldRejectAPayloadMissingARequiredFieldNamingTheField(TributaryEvent event) throws Exception {
        EventType type = EventType.of(event);
        ObjectNode json = (ObjectNode) EventCodec.mapper().readTree(EventCodec.toJson(event));
        String required = requiredFieldOtherThanVersion(type);
        json.remove(required);

        assertThatThrownBy(() -> EventCodec.fromJson(json.toString(), event.getClass()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(type.topic())
                .hasMessageContaining(required);
    }

    @Test
    void shouldRejectAPayloadWithoutVersion() throws Exception {
        ObjectNode json = (ObjectNode) EventCodec.mapper().readTree(EventCodec.toJson(SampleEvents.syncRequested()));
        json.remove("version");

        assertThatThrownBy(() -> EventCodec.fromJson(json.toString(), SampleEvents.syncRequested().getClass()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("version");
    }

    @Test
    void shouldRejectAnUnknownEnumValue() throws Exception {
        ObjectNode json = (ObjectNode) EventCodec.mapper().readTree(EventCodec.toJson(SampleEvents.syncStatusFailed()));
        json.put("state", "exploded");

        assertThatThrownBy(() -> EventCodec.fromJson(json.toString(), SyncStatus.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("state");
    }

    @Test
    void shouldRejectWrongTypesAndMalformedJsonWithoutEchoingThePayload() {
        assertThatThrownBy(() -> EventCodec.fromJson("{\"version\": 1, \"syncJobId\": 12", SyncStatus.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("syncJobId");
        assertThatThrownBy(() -> EventCodec.fromJson("", SyncStatus.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> EventCodec.fromJson("[1,2]", SyncStatus.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("sync-status");
    }

    @Test
    void shouldRefuseToWriteAnInvalidEvent() {
        SyncStatus withoutJob = new SyncStatus(null, SampleEvents.INTEGRATION,
                io.tributary.contracts.event.SyncState.RUNNING, 0, 0, 0, 0, null, null, SampleEvents.AT, null);

        assertThatThrownBy(() -> EventCodec.toJson(withoutJob))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("syncJobId");
    }

    @Test
    void shouldRequireAnErrorCodeWhenASyncFailed() {
        SyncStatus failedWithoutCode = new SyncStatus(SampleEvents.JOB, SampleEvents.INTEGRATION,
                io.tributary.contracts.event.SyncState.FAILED, 0, 0, 0, 0, null, null, SampleEvents.AT,
                SampleEvents.AT);

        assertThatThrownBy(() -> EventCodec.toJson(failedWithoutCode))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("errorCode");
    }

    @Test
    void shouldWriteMoneyAsPlainDecimalStrings() throws Exception {
        SyncedTransaction big = new SyncedTransaction(io.tributary.contracts.event.TransactionChange.ADDED, "tx",
                "acc", new BigDecimal("1E+3"), "EUR", java.time.LocalDate.parse("2026-01-02"), null,
                io.tributary.contracts.event.TransactionStatus.POSTED, null, null, null);
        TransactionsSynced batch = new TransactionsSynced(SampleEvents.INTEGRATION, "u", IntegrationCategory.PAYMENT,
                "stripe", null, List.of(big));

        JsonNode amount = EventCodec.mapper().readTree(EventCodec.toJson(batch)).at("/transactions/0/amount");

        assertThat(amount.isTextual()).isTrue();
        assertThat(amount.asText()).isEqualTo("1000");
    }

    @Test
    void shouldRejectAmountsThatAreNumbersOrNotDecimals() throws Exception {
        ObjectNode json = (ObjectNode) EventCodec.mapper().readTree(EventCodec.toJson(SampleEvents.transactionsSynced()));
        ObjectNode first = (ObjectNode) json.get("transactions").get(0);

        first.put("amount", 12.5);
        assertThatThrownBy(() -> EventCodec.fromJson(json.toString(), TransactionsSynced.class))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("amount");

        first.put("amount", "12,50");
        assertThatThrownBy(() -> EventCodec.fromJson(json.toString(), TransactionsSynced.class))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("amount");
    }

    @Test
    void shouldRequireAmountAndDateForAddedButNotForRemovedTransactions() throws Exception {
        ObjectNode json = (ObjectNode) EventCodec.mapper().readTree(EventCodec.toJson(SampleEvents.transactionsSynced()));
        ((ObjectNode) json.get("transactions").get(0)).remove("bookedOn");

        assertThatThrownBy(() -> EventCodec.fromJson(json.toString(), TransactionsSynced.class))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("bookedOn");
        assertThat(EventCodec.fromJson(EventCodec.toJson(SampleEvents.transactionsSynced()), TransactionsSynced.class)
                .transactions().get(2).amount()).isNull();
    }

    @Test
    void shouldCapABatchAtFiveHundredTransactions() throws Exception {
        SyncedTransaction one = SampleEvents.transactionsSynced().transactions().get(0);
        TransactionsSynced full = new TransactionsSynced(SampleEvents.INTEGRATION, "u", IntegrationCategory.BANK,
                "plaid", null, Collections.nCopies(TransactionsSynced.MAX_BATCH_SIZE, one));
        assertThat(EventCodec.fromJson(EventCodec.toJson(full), TransactionsSynced.class).transactions())
                .hasSize(500);

        ObjectNode json = (ObjectNode) EventCodec.mapper().readTree(EventCodec.toJson(full));
        ((ArrayNode) json.get("transactions")).add(json.get("transactions").get(0).deepCopy());
        assertThatThrownBy(() -> EventCodec.fromJson(json.toString(), TransactionsSynced.class))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("transactions");
    }

    @Test
    void shouldMapEveryTopicToOneEventTypeAndSchema() {
        assertThat(Stream.of(EventType.values()).map(EventType::topic)).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(Topics.allWithDeadLetterTopics()).hasSize(14).contains("balance-alerts", "balance-alerts.dlq");
        for (EventType type : EventType.values()) {
            assertThat(EventType.ofTopic(type.topic())).contains(type);
            assertThat(EventType.ofCloudEventType(type.cloudEventType())).contains(type);
            assertThat(getClass().getClassLoader().getResource(type.schemaResource())).isNotNull();
        }
        assertThat(Topics.deadLetterTopicOf(Topics.SYNC_STATUS)).isEqualTo("sync-status.dlq");
    }

    @Test
    void shouldKeyWebhooksByProviderAccount() {
        assertThat(SampleEvents.webhookReceived().partitionKey()).isEqualTo("plaid:item-7");
        assertThat(SampleEvents.balanceAlert().partitionKey()).isEqualTo("acc-1");
        assertThat(SampleEvents.syncRequested().partitionKey()).isEqualTo(SampleEvents.INTEGRATION.toString());
    }

    private static String requiredFieldOtherThanVersion(EventType type) throws Exception {
        try (InputStream in = EventCodecTest.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            JsonNode required = EventCodec.mapper().readTree(in).get("required");
            return required.get(1).asText();
        }
    }
}
