package io.tributary.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happened to a transaction at the provider since the last sync. */
public enum TransactionChange {
    @JsonProperty("added") ADDED,
    @JsonProperty("modified") MODIFIED,
    @JsonProperty("removed") REMOVED
}
