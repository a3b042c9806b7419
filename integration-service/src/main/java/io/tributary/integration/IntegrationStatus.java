package io.tributary.integration;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where an integration stands with its provider. */
public enum IntegrationStatus {
    /** Usable credentials; syncs run. */
    @JsonProperty("connected") CONNECTED,
    /** No credentials yet, or they were revoked. */
    @JsonProperty("disconnected") DISCONNECTED,
    /** The last sync failed; the next one will try again. */
    @JsonProperty("error") ERROR,
    /** A sync is running now. */
    @JsonProperty("syncing") SYNCING,
    /** The provider refused the credentials; the user has to connect again. */
    @JsonProperty("reauth_required") REAUTH_REQUIRED,
    /** Deleted by the user. */
    @JsonProperty("inactive") INACTIVE
}
