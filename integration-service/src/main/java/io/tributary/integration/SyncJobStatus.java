package io.tributary.integration;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A sync job's state; completed and failed are final. */
public enum SyncJobStatus {
    @JsonProperty("pending") PENDING,
    @JsonProperty("running") RUNNING,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("failed") FAILED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED;
    }
}
