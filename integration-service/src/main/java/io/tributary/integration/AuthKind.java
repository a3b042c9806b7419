package io.tributary.integration;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a provider is connected: OAuth consent, Plaid Link, a key the user enters, or an uploaded file. */
public enum AuthKind {
    @JsonProperty("oauth2") OAUTH2,
    @JsonProperty("plaid_link") PLAID_LINK,
    @JsonProperty("api_key") API_KEY,
    @JsonProperty("file_import") FILE_IMPORT
}
