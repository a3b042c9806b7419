package io.tributary.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns events into JSON and back. Both directions are checked against the event's JSON Schema,
 * so a producer cannot publish, and a consumer cannot accept, a payload that breaks the contract.
 * Unknown fields are tolerated on read: a newer producer may add fields.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("money-as-decimal-strings").addSerializer(BigDecimal.class, new PlainDecimalSerializer()))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private static final Map<EventType, JsonSchema> SCHEMAS = loadSchemas();

    private EventCodec() {
    }

    /** The mapper events are written with; use it to build payload trees in tests or tools. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String toJson(TributaryEvent event) {
        EventType type = EventType.of(event);
        JsonNode tree = MAPPER.valueToTree(event);
        requireValid(type, tree);
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <E extends TributaryEvent> E fromJson(String json, Class<E> recordType) {
        EventType type = EventType.of(recordType);
        JsonNode tree = parse(type, json);
        requireValid(type, tree);
        try {
            return MAPPER.treeToValue(tree, recordType);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException(type.topic() + " payload cannot be read as " + recordType.getSimpleName(), e);
        }
    }

    /** Schema violations of a payload tree, empty when it is valid. */
    public static List<String> violations(EventType type, JsonNode tree) {
        Set<ValidationMessage> messages = SCHEMAS.get(type).validate(tree);
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static void requireValid(EventType type, JsonNode tree) {
        List<String> violations = violations(type, tree);
        if (!violations.isEmpty()) {
            throw new InvalidEventException(type.topic() + " payload violates its schema", violations);
        }
    }

    private static JsonNode parse(EventType type, String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException(type.topic() + " payload is empty", List.of());
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // the location is enough; the parser's message would echo the payload
            throw new InvalidEventException(type.topic() + " payload is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", List.of());
        }
    }

    /** Money travels as a decimal string ("1000", never 1E+3 or a float) so no consumer loses a cent. */
    private static final class PlainDecimalSerializer extends ToStringSerializerBase {
        PlainDecimalSerializer() {
            super(BigDecimal.class);
        }

        @Override
        public String valueToString(Object value) {
            return ((BigDecimal) value).toPlainString();
        }
    }

    private static Map<EventType, JsonSchema> loadSchemas() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            try (InputStream in = EventCodec.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
                if (in == null) {
                    throw new IllegalStateException("Missing schema " + type.schemaResource());
                }
                schemas.put(type, factory.getSchema(MAPPER.readTree(in), config));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schemas;
    }
}
