package io.tributary.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kind of external app an integration connects; decides which sync service handles it. */
public enum IntegrationCategory {
    @JsonProperty("bank") BANK,
    @JsonProperty("accounting") ACCOUNTING,
    @JsonProperty("payment") PAYMENT,
    @JsonProperty("crm") CRM,
    @JsonProperty("aggregator") AGGREGATOR,
    @JsonProperty("tax") TAX
}
