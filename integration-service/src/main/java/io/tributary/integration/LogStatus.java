package io.tributary.integration;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Outcome recorded with an integration log entry. */
public enum LogStatus {
    @JsonProperty("success") SUCCESS,
    @JsonProperty("failure") FAILURE,
    @JsonProperty("info") INFO
}
