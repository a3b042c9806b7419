package io.tributary.integration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.contracts.event.IntegrationCategory;

/**
 * One entry of the provider catalogue: what kind of app it is, how it is connected, which sync
 * service handles it, how often it syncs by default, whether it can be connected yet, and the
 * JSON Schema its integrations' {@code config} must satisfy.
 */
public record Provider(
        String id,
        String displayName,
        IntegrationCategory type,
        AuthKind authKind,
        String syncService,
        SyncFrequency defaultFrequency,
        Availability availability,
        boolean webhooks,
        @JsonIgnore JsonNode configSchema) {

    public enum Availability {
        @JsonProperty("available") AVAILABLE,
        @JsonProperty("planned") PLANNED
    }

    public boolean isAvailable() {
        return availability == Availability.AVAILABLE;
    }

    /** File imports need no credential: they are usable from the start. */
    public boolean needsCredentials() {
        return authKind != AuthKind.FILE_IMPORT;
    }
}
