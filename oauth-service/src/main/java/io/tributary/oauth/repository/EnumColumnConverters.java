package io.tributary.oauth.repository;

import io.tributary.oauth.Credential;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Locale;

/** Enum columns hold lower-case names, as the schema's CHECK constraints say. */
public final class EnumColumnConverters {

    private EnumColumnConverters() {
    }

    @Converter(autoApply = true)
    public static class KindConverter implements AttributeConverter<Credential.Kind, String> {
        @Override
        public String convertToDatabaseColumn(Credential.Kind value) {
            return value == null ? null : value.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public Credential.Kind convertToEntityAttribute(String column) {
            return column == null ? null : Credential.Kind.valueOf(column.toUpperCase(Locale.ROOT));
        }
    }

    @Converter(autoApply = true)
    public static class StateConverter implements AttributeConverter<Credential.State, String> {
        @Override
        public String convertToDatabaseColumn(Credential.State value) {
            return value == null ? null : value.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public Credential.State convertToEntityAttribute(String column) {
            return column == null ? null : Credential.State.valueOf(column.toUpperCase(Locale.ROOT));
        }
    }
}
