package io.tributary.oauth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An integration's credential. The secret columns hold ciphertexts only (see CredentialVault);
 * {@code account} is what the provider says about the connected account and is not secret.
 */
@Entity
@Table(name = "credentials")
public class Credential {

    public enum Kind {
        @JsonProperty("oauth2") OAUTH2,
        @JsonProperty("api_key") API_KEY,
        @JsonProperty("plaid") PLAID
    }

    public enum State { ACTIVE, REAUTH_REQUIRED }

    @Id
    @Column(name = "integration_id")
    public UUID integrationId;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(nullable = false)
    public String provider;

    @Column(nullable = false)
    public Kind kind;

    @Column(nullable = false)
    public State state;

    @Column(name = "access_token")
    public byte[] accessToken;

    @Column(name = "refresh_token")
    public byte[] refreshToken;

    @Column(name = "api_secret")
    public byte[] apiSecret;

    @Column(name = "token_type")
    public String tokenType;

    public String scope;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "refresh_expires_at")
    public Instant refreshExpiresAt;

    @Column(name = "consent_expires_at")
    public Instant consentExpiresAt;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> account;

    @Column(name = "key_id", nullable = false)
    public long keyId;

    @Column(name = "expiry_notified_at")
    public Instant expiryNotifiedAt;

    @Column(name = "refreshed_at")
    public Instant refreshedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
