package io.tributary.integration.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.integration.AuthKind;
import io.tributary.integration.IntegrationStatus;
import io.tributary.integration.LogStatus;
import io.tributary.integration.Provider;
import io.tributary.integration.SyncFrequency;
import io.tributary.integration.SyncJobStatus;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The JSON the integrations API reads and writes. */
public final class IntegrationViews {

    private IntegrationViews() {
    }

    @Schema(description = "A new integration. Its type follows from the provider; secrets never go in config.")
    public record CreateIntegrationRequest(
            @NotBlank @Size(max = 120) String name,
            @NotBlank @Size(max = 40) String provider,
            @Schema(description = "Provider settings, checked against the provider's configSchema") Map<String, Object> config,
            @Schema(description = "Free-form labels of the caller") Map<String, Object> metadata,
            @Schema(description = "realtime, hourly, daily, weekly, manual, or a number of minutes (5-43200); "
                    + "the provider's default when absent", oneOf = { String.class, Integer.class })
            SyncFrequency syncFrequency) {
    }

    @Schema(description = "The full set of changeable settings; absent config or metadata become empty, "
            + "an absent frequency the provider's default.")
    public record UpdateIntegrationRequest(
            @NotBlank @Size(max = 120) String name,
            Map<String, Object> config,
            Map<String, Object> metadata,
            @Schema(oneOf = { String.class, Integer.class }) SyncFrequency syncFrequency) {
    }

    public record IntegrationView(UUID id, String userId, String name, IntegrationCategory type, String provider,
            IntegrationStatus status, Map<String, Object> config, Map<String, Object> metadata,
            @Schema(oneOf = { String.class, Integer.class }) SyncFrequency syncFrequency, Instant lastSyncAt,
            Instant nextSyncAt, String lastError, int errorCount, Instant createdAt, Instant updatedAt) {
    }

    public record PageView<T>(List<T> items, int page, int size, long totalItems, long totalPages) {

        public static <T> PageView<T> of(List<T> items, int page, int size, long totalItems) {
            return new PageView<>(items, page, size, totalItems, (totalItems + size - 1) / size);
        }
    }

    public record StatusView(UUID id, IntegrationStatus status, Instant lastSyncAt, Instant nextSyncAt, int errorCount,
            String lastError,
            @Schema(description = "0.0-1.0: auth x (0.5 success rate + 0.3 freshness + 0.2 rate-limit headroom)")
            double healthScore) {
    }

    @Schema(description = "What to sync; incremental when absent.")
    public record SyncRequest(@Schema(enumeration = { "full", "incremental" }) SyncType syncType) {
    }

    public record SyncJobView(UUID id, UUID integrationId, SyncType syncType, SyncTrigger trigger,
            SyncJobStatus status, Instant createdAt, Instant startedAt, Instant completedAt, long recordsAdded,
            long recordsUpdated, long recordsDeleted, long recordsFailed, String errorCode, String errorMessage) {
    }

    public record LogView(UUID id, String action, LogStatus status, String message, Map<String, Object> details,
            Instant createdAt) {
    }

    public record ProviderView(String id, String displayName, IntegrationCategory type, AuthKind authKind,
            @Schema(oneOf = { String.class, Integer.class }) SyncFrequency defaultFrequency,
            Provider.Availability availability, boolean webhooks,
            @Schema(description = "JSON Schema of this provider's config") JsonNode configSchema) {
    }

    public record SyncAllView(int scheduled) {
    }
}
