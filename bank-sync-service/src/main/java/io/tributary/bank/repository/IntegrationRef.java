package io.tributary.bank.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** What this service knows of an integration, from integration-events: its owner and provider. */
@Entity
@Table(name = "integration_refs")
public class IntegrationRef {

    @Id
    @Column(name = "integration_id")
    public UUID integrationId;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(nullable = false)
    public String provider;

    @Column(nullable = false)
    public String category;

    @Column(nullable = false)
    public boolean active;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
