package io.tributary.integration;

import io.tributary.contracts.event.IntegrationCategory;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A user's connection to one external app. Never holds a secret: those live in oauth-service. */
@Entity
@Table(name = "integrations")
public class Integration {

    @Id
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    public String name;

    @Column(name = "integration_type", nullable = false)
    public IntegrationCategory type;

    public String provider;

    public IntegrationStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> config;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata;

    @Column(name = "sync_frequency", nullable = false)
    public String syncFrequencyKind;

    @Column(name = "sync_interval_minutes")
    public Integer syncIntervalMinutes;

    @Column(name = "last_sync_at")
    public Instant lastSyncAt;

    @Column(name = "next_sync_at")
    public Instant nextSyncAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "error_count", nullable = false)
    public int errorCount;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "is_active", nullable = false)
    public boolean active;

    @Version
    public long version;

    public SyncFrequency syncFrequency() {
        return SyncFrequency.fromColumns(syncFrequencyKind, syncIntervalMinutes);
    }

    public void syncFrequency(SyncFrequency frequency) {
        this.syncFrequencyKind = frequency.columnValue();
        this.syncIntervalMinutes = frequency.minutes();
    }
}
