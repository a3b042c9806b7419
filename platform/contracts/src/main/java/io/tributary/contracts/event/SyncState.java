package io.tributary.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a sync job is: started, still going (with counts so far), or ended. */
public enum SyncState {
    @JsonProperty("running") RUNNING,
    @JsonProperty("progress") PROGRESS,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("failed") FAILED
}
