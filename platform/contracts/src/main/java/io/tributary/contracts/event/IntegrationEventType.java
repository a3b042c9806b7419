package io.tributary.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Lifecycle change of an integration. */
public enum IntegrationEventType {
    @JsonProperty("created") CREATED,
    @JsonProperty("updated") UPDATED,
    @JsonProperty("deleted") DELETED
}
