package io.tributary.integration.service;

import io.smallrye.mutiny.Uni;
import io.tributary.integration.IntegrationLog;
import io.tributary.integration.LogStatus;
import io.tributary.integration.repository.IntegrationLogRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Writes an integration's activity log, in the caller's transaction. Messages and details never hold secrets. */
@ApplicationScoped
public class ActivityLog {

    private final IntegrationLogRepository logs;

    public ActivityLog(IntegrationLogRepository logs) {
        this.logs = logs;
    }

    public Uni<Void> record(UUID integrationId, String action, LogStatus status, String message,
            Map<String, Object> details) {
        IntegrationLog entry = new IntegrationLog();
        entry.id = UUID.randomUUID();
        entry.integrationId = integrationId;
        entry.action = action;
        entry.status = status;
        entry.message = message;
        entry.details = details;
        entry.createdAt = Instant.now();
        return logs.persist(entry).replaceWithVoid();
    }
}
