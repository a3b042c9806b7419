package io.tributary.kit.persistence;

import jakarta.persistence.AttributeConverter;

import java.util.Locale;

/**
 * Stores an enum as its name in lower case, the values services' CHECK constraints name. A
 * service declares one {@code @Converter(autoApply = true)} subclass per enum column type.
 */
public abstract class LowerCaseEnumConverter<E extends Enum<E>> implements AttributeConverter<E, String> {

    private final Class<E> type;

    protected LowerCaseEnumConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public E convertToEntityAttribute(String column) {
        return column == null ? null : Enum.valueOf(type, column.toUpperCase(Locale.ROOT));
    }
}
