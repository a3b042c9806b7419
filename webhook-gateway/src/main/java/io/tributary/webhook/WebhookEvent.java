package io.tributary.webhook;

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
 * A verified delivery, stored once per provider event with its raw body. Written and read with
 * SQL (group commit, admin search); the mapping keeps Hibernate's model equal to the table.
 */
@Entity
@Table(name = "webhook_events")
public class WebhookEvent {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String provider;

    @Column(name = "endpoint_id")
    public UUID endpointId;

    @Column(name = "integration_id")
    public UUID integrationId;

    @Column(name = "provider_event_id", nullable = false)
    public String providerEventId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "provider_account")
    public String providerAccount;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> headers;

    @Column(nullable = false)
    public byte[] body;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** {@code signature} or {@code url_secret}. */
    @Column(nullable = false)
    public String verification;

    /** The outbox row of its latest publication. */
    @Column(name = "outbox_id")
    public UUID outboxId;

    @Column(nullable = false)
    public int replays;

    /** What was published instead of the body, for providers that sign nothing. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> hint;
}
