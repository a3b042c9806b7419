package io.tributary.kit.problem;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.Optional;
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

    static String wireName(Enum<?> constant) {
        try {
            JsonProperty property = constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
            return property != null ? property.value() : constant.name();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }
}
