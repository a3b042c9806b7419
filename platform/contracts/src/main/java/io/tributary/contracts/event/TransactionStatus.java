package io.tributary.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a transaction has settled. */
public enum TransactionStatus {
    @JsonProperty("pending") PENDING,
    @JsonProperty("posted") POSTED
}
