package io.tributary.webhook.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the admin API reads and answers. Secrets are taken, never shown: an endpoint tells only how many it has. */
public final class WebhookAdminViews {

    private WebhookAdminViews() {
    }

    /** PostgreSQL text cannot hold NUL: such a value is refused as invalid, not failed on at the database. */
    static final String NO_NUL = "[^\\x00]*";

    public record NewEndpointRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = NO_NUL) String provider,
            UUID integrationId,
            @Size(max = 255) @Pattern(regexp = NO_NUL) String providerAccount,
            @Size(max = 2) List<@NotBlank @Size(max = 1024) String> secrets,
            @Size(max = 100) List<@NotBlank @Size(max = 255) @Pattern(regexp = NO_NUL) String> eventTypes,
            @Size(max = 50) List<@NotBlank @Size(max = 64) @Pattern(regexp = NO_NUL) String> allowedSources) {
    }

    public record SecretsRequest(@NotNull @NotEmpty @Size(max = 2) List<@NotBlank @Size(max = 1024) String> secrets) {
    }

    public record ReplayRequest(@Size(max = 64) @Pattern(regexp = NO_NUL) String provider, UUID integrationId,
            @Size(max = 255) @Pattern(regexp = NO_NUL) String eventType, @NotNull Instant from, @NotNull Instant to) {
    }

    /** {@code url} only when the endpoint was just created: it holds the token, which is not kept. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EndpointView(UUID id, String provider, UUID integrationId, String providerAccount, int secretCount,
            List<String> eventTypes, List<String> allowedSources, boolean active, Instant createdAt, Instant updatedAt,
            String url) {
    }

    public record EventView(UUID id, String provider, UUID endpointId, UUID integrationId, String providerEventId,
            String eventType, String providerAccount, Instant receivedAt, String verification, int replays,
            boolean published) {
    }

    /** One event: what arrived (headers and body) and, for unsigned providers, the hint that was published. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventDetailView(EventView event, Map<String, Object> headers, JsonNode payload, String bodyText,
            JsonNode hint) {
    }

    public record EventPageView(List<EventView> items, String next) {
    }

    public record ListView<T>(List<T> items) {
    }

    public record ReplayedView(int replayed) {
    }
}
