package io.tributary.oauth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A pending authorization: who started it, for which integration, and its PKCE verifier (encrypted). */
@Entity
@Table(name = "oauth_states")
public class OAuthState {

    @Id
    @Column(name = "state_hash")
    public String stateHash;

    @Column(name = "integration_id", nullable = false)
    public UUID integrationId;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(nullable = false)
    public String provider;

    @Column(name = "redirect_uri", nullable = false)
    public String redirectUri;

    @Column(name = "code_verifier")
    public byte[] codeVerifier;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** The Open Banking consent this attempt authorises; null for other providers. */
    @Column(name = "consent_id")
    public String consentId;
}
