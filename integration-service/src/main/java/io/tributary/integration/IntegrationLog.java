package io.tributary.integration;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** What happened to an integration, for its owner to read. Never a secret in message or details. */
@Entity
@Table(name = "integration_logs")
public class IntegrationLog {

    @Id
    public UUID id;

    @Column(name = "integration_id", nullable = false)
    public UUID integrationId;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public LogStatus status;

    @Column(nullable = false)
    public String message;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> details;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
