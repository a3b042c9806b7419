package io.tributary.integration.service;

import io.tributary.integration.IntegrationStatus;
import io.tributary.integration.SyncFrequency;
import io.tributary.integration.SyncJob;
import io.tributary.integration.SyncJobStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An integration's health, from 0.0 (broken) to 1.0 (all well):
 * <pre>
 *   score = auth × (0.5 × success + 0.3 × freshness + 0.2 × rateLimit)
 * </pre>
 * <ul>
 *   <li>{@code auth}: 1 when connected or syncing, 0.75 after a failed sync (credentials still
 *       work), 0 when disconnected, waiting for re-authorization, or deleted: without credentials
 *       nothing else matters;</li>
 *   <li>{@code success}: share of the recent finished jobs that completed (1 when none ran yet);</li>
 *   <li>{@code freshness}: 1 while the last successful sync (or the creation, before any) is
 *       younger than the sync interval, falling linearly to 0 at three intervals; 1 for manual
 *       integrations, which promise no schedule;</li>
 *   <li>{@code rateLimit}: 1 minus the share of recent finished jobs that the provider rate
 *       limited ({@code errorCode = rate_limited}).</li>
 * </ul>
 * Rounded to two decimals.
 */
public final class HealthScore {

    public static final String RATE_LIMITED = "rate_limited";

    private HealthScore() {
    }

    public record Inputs(IntegrationStatus status, SyncFrequency frequency, Instant lastSyncAt, Instant createdAt,
            List<SyncJob> recentFinishedJobs, Instant now) {
    }

    public static double of(Inputs inputs) {
        double auth = auth(inputs.status());
        double score = auth * (0.5 * success(inputs.recentFinishedJobs()) + 0.3 * freshness(inputs)
                + 0.2 * rateLimit(inputs.recentFinishedJobs()));
        return Math.round(score * 100) / 100.0;
    }

    static double auth(IntegrationStatus status) {
        return switch (status) {
            case CONNECTED, SYNCING -> 1.0;
            case ERROR -> 0.75;
            case DISCONNECTED, REAUTH_REQUIRED, INACTIVE -> 0.0;
        };
    }

    static double success(List<SyncJob> recent) {
        if (recent.isEmpty()) {
            return 1.0;
        }
        return (double) recent.stream().filter(job -> job.status == SyncJobStatus.COMPLETED).count() / recent.size();
    }

    static double freshness(Inputs inputs) {
        Optional<Duration> interval = inputs.frequency().interval();
        if (interval.isEmpty()) {
            return 1.0;
        }
        Instant reference = inputs.lastSyncAt() != null ? inputs.lastSyncAt() : inputs.createdAt();
        double age = Math.max(0, Duration.between(reference, inputs.now()).toMillis());
        double expected = interval.get().toMillis();
        if (age <= expected) {
            return 1.0;
        }
        return Math.max(0.0, 1.0 - (age - expected) / (2 * expected));
    }

    static double rateLimit(List<SyncJob> recent) {
        if (recent.isEmpty()) {
            return 1.0;
        }
        long limited = recent.stream().filter(job -> RATE_LIMITED.equals(job.errorCode)).count();
        return 1.0 - (double) limited / recent.size();
    }
}
