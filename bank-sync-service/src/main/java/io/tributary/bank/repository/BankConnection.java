package io.tributary.bank.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.UUID;

/**
 * One Plaid item, Open Banking consent or YNAB budget of a user's integration. Its sync cursor is
 * saved only after every page of a run is committed; no token is ever stored here (oauth-service
 * holds them).
 */
@Entity
@Table(name = "bank_connections")
public class BankConnection {

    @Id
    public UUID id;

    @Column(name = "integration_id", nullable = false)
    public UUID integrationId;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(nullable = false)
    public String provider;

    @Column(name = "external_id", nullable = false)
    public String externalId;

    @Column(name = "institution_id")
    public String institutionId;

    @Column(name = "institution_name")
    public String institutionName;

    @Column(name = "institution_logo")
    public String institutionLogo;

    @Column(name = "institution_color")
    public String institutionColor;

    @Column(name = "institution_url")
    public String institutionUrl;

    @Column(name = "sync_cursor")
    public String syncCursor;

    @Column(name = "is_active", nullable = false)
    public boolean active = true;

    @Column(name = "requires_reauth", nullable = false)
    public boolean requiresReauth;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "last_error_at")
    public Instant lastErrorAt;

    @Column(name = "error_count", nullable = false)
    public int errorCount;

    @Column(name = "maintenance_until")
    public Instant maintenanceUntil;

    @Column(name = "last_sync_at")
    public Instant lastSyncAt;

    @Column(name = "next_sync_at")
    public Instant nextSyncAt;

    /** real_time, hourly, daily, weekly or manual. */
    @Column(name = "sync_frequency", nullable = false)
    public String syncFrequency = "daily";

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
