package io.tributary.kit.problem;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads enum query parameters by their JSON names. JAX-RS answers a query value it cannot convert
 * with 404; a filter with an unknown value is a bad request, so it is parsed here and refused with
 * a 400 that lists the allowed values.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    public static <E extends Enum<E>> Optional<E> parseEnum(Class<E> type, String parameter, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        for (E constant : type.getEnumConstants()) {
            if (wireName(constant).equals(value)) {
                return Optional.of(constant);
            }
        }
        throw ProblemException.invalid(parameter, "must be one of " + Arrays.stream(type.getEnumConstants())
                .map(QueryParameters::wireName).collect(Collectors.joining(", ", "[", "]")));
    }

    /** A UUID query value; a malformed one is a 400 naming the parameter, not JAX-RS's 404. */
    public static Optional<UUID> parseUuid(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value.trim()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(parameter, "must be a UUID");
        }
    }

    /** An RFC 3339 instant ({@code 2026-11-21T10:00:00Z}, any offset). */
    public static Optional<Instant> parseInstant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.trim()).toInstant());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(parameter, "must be an RFC 3339 date-time such as 2026-11-21T10:00:00Z");
        }
    }

    static String wireName(Enum<?> constant) {
        try {
            JsonProperty property = constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
            return property != null ? property.value() : constant.name();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }
}
