package io.tributary.contracts.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happened to an integration's credential in oauth-service. */
public enum CredentialEventType {
    @JsonProperty("authorized") AUTHORIZED,
    @JsonProperty("refreshed") REFRESHED,
    @JsonProperty("reauth-required") REAUTH_REQUIRED,
    @JsonProperty("revoked") REVOKED,
    @JsonProperty("expiring-soon") EXPIRING_SOON
}
