package io.tributary.integration.repository;

import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.integration.IntegrationStatus;
import io.tributary.integration.LogStatus;
import io.tributary.integration.SyncJobStatus;
import io.tributary.kit.persistence.LowerCaseEnumConverter;
import jakarta.persistence.Converter;

/** One applied-everywhere converter per enum column type. */
public final class EnumColumnConverters {

    private EnumColumnConverters() {
    }

    @Converter(autoApply = true)
    public static class IntegrationStatusConverter extends LowerCaseEnumConverter<IntegrationStatus> {
        public IntegrationStatusConverter() {
            super(IntegrationStatus.class);
        }
    }

    @Converter(autoApply = true)
    public static class SyncJobStatusConverter extends LowerCaseEnumConverter<SyncJobStatus> {
        public SyncJobStatusConverter() {
            super(SyncJobStatus.class);
        }
    }

    @Converter(autoApply = true)
    public static class LogStatusConverter extends LowerCaseEnumConverter<LogStatus> {
        public LogStatusConverter() {
            super(LogStatus.class);
        }
    }

    @Converter(autoApply = true)
    public static class IntegrationCategoryConverter extends LowerCaseEnumConverter<IntegrationCategory> {
        public IntegrationCategoryConverter() {
            super(IntegrationCategory.class);
        }
    }

    @Converter(autoApply = true)
    public static class SyncTypeConverter extends LowerCaseEnumConverter<SyncType> {
        public SyncTypeConverter() {
            super(SyncType.class);
        }
    }

    @Converter(autoApply = true)
    public static class SyncTriggerConverter extends LowerCaseEnumConverter<SyncTrigger> {
        public SyncTriggerConverter() {
            super(SyncTrigger.class);
        }
    }
}
