package io.tributary.integration;

import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One synchronization run of an integration, as requested here and reported by its sync service. */
@Entity
@Table(name = "sync_jobs")
public class SyncJob {

    @Id
    public UUID id;

    @Column(name = "integration_id", nullable = false)
    public UUID integrationId;

    @Column(name = "sync_type", nullable = false)
    public SyncType syncType;

    @Column(nullable = false)
    public SyncTrigger trigger;

    @Column(nullable = false)
    public SyncJobStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Column(name = "records_added")
    public long recordsAdded;

    @Column(name = "records_updated")
    public long recordsUpdated;

    @Column(name = "records_deleted")
    public long recordsDeleted;

    @Column(name = "records_failed")
    public long recordsFailed;

    @Column(name = "last_report_at")
    public Instant lastReportAt;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_message")
    public String errorMessage;
}
