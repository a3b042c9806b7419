package io.tributary.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The user's rule that raised a balance alert. */
public enum BalanceAlertRule {
    @JsonProperty("low_balance") LOW_BALANCE,
    @JsonProperty("large_transaction") LARGE_TRANSACTION,
    @JsonProperty("threshold") THRESHOLD
}
