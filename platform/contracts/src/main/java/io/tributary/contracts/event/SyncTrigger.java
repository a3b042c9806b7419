package io.tributary.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What asked for a sync. */
public enum SyncTrigger {
    @JsonProperty("manual") MANUAL,
    @JsonProperty("scheduled") SCHEDULED,
    @JsonProperty("webhook") WEBHOOK
}
