package io.tributary.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How much a sync pulls: everything, what changed since the saved cursor, or only a connection test. */
public enum SyncType {
    @JsonProperty("full") FULL,
    @JsonProperty("incremental") INCREMENTAL,
    @JsonProperty("test") TEST
}
