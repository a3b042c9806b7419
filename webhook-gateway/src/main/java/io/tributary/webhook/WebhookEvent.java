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

/** A verified delivery, stored once per provider event with its raw body. */
@Entity
@Table(name = "webhook_events")
public class WebhookEvent {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String provider;

    @Column(name = "endpoint_id")
    public String endpointId;

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

    @Column(nullable = false)
    public String verification;
}
