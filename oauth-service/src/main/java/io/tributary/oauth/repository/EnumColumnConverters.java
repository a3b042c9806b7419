package io.tributary.oauth.repository;

import io.tributary.kit.persistence.LowerCaseEnumConverter;
import io.tributary.oauth.Credential;
import jakarta.persistence.Converter;

/** One applied-everywhere converter per enum column type. */
public final class EnumColumnConverters {

    private EnumColumnConverters() {
    }

    @Converter(autoApply = true)
    public static class KindConverter extends LowerCaseEnumConverter<Credential.Kind> {
        public KindConverter() {
            super(Credential.Kind.class);
        }
    }

    @Converter(autoApply = true)
    public static class StateConverter extends LowerCaseEnumConverter<Credential.State> {
        public StateConverter() {
            super(Credential.State.class);
        }
    }
}
