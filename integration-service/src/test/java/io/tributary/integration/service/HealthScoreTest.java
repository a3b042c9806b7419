package io.tributary.integration.service;

import io.tributary.integration.IntegrationStatus;
import io.tributary.integration.SyncFrequency;
import io.tributary.integration.SyncJob;
import io.tributary.integration.SyncJobStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthScoreTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final SyncFrequency HOURLY = SyncFrequency.of(SyncFrequency.Kind.HOURLY);

    @Test
    void shouldBePerfectForAFreshConnectedIntegrationWithOnlySuccesses() {
        assertThat(score(IntegrationStatus.CONNECTED, HOURLY, NOW.minusSeconds(600), jobs(5, 0, 0))).isEqualTo(1.0);
    }

    @Test
    void shouldBeZeroWithoutUsableCredentialsWhateverElse() {
        for (IntegrationStatus status : List.of(IntegrationStatus.REAUTH_REQUIRED, IntegrationStatus.DISCONNECTED,
                IntegrationStatus.INACTIVE)) {
            assertThat(score(status, HOURLY, NOW.minusSeconds(60), jobs(10, 0, 0))).isZero();
        }
    }

    @Test
    void shouldWeighTheSuccessRateByHalf() {
        // 6 of 10 completed: 0.5 x 0.6 + 0.3 + 0.2 = 0.8
        assertThat(score(IntegrationStatus.CONNECTED, HOURLY, NOW, jobs(6, 4, 0))).isEqualTo(0.8);
    }

    @Test
    void shouldDecayFreshnessFromOneToThreeIntervals() {
        Instant twoIntervalsAgo = NOW.minus(Duration.ofHours(2));
        // freshness 0.5: 0.5 + 0.3 x 0.5 + 0.2 = 0.85
        assertThat(score(IntegrationStatus.CONNECTED, HOURLY, twoIntervalsAgo, List.of())).isEqualTo(0.85);
        assertThat(score(IntegrationStatus.CONNECTED, HOURLY, NOW.minus(Duration.ofHours(5)), List.of())).isEqualTo(0.7);
        assertThat(score(IntegrationStatus.CONNECTED, HOURLY, NOW.minus(Duration.ofMinutes(59)), List.of())).isEqualTo(1.0);
    }

    @Test
    void shouldNotExpectFreshnessFromAManualIntegration() {
        SyncFrequency manual = SyncFrequency.of(SyncFrequency.Kind.MANUAL);
        assertThat(score(IntegrationStatus.CONNECTED, manual, NOW.minus(Duration.ofDays(400)), List.of())).isEqualTo(1.0);
    }

    @Test
    void shouldCountRateLimitedJobsAsPressure() {
        // 8 completed, 2 failed rate-limited: 0.5 x 0.8 + 0.3 + 0.2 x 0.8 = 0.86
        assertThat(score(IntegrationStatus.CONNECTED, HOURLY, NOW, jobs(8, 0, 2))).isEqualTo(0.86);
    }

    @Test
    void shouldDiscountAnIntegrationWhoseLastSyncFailed() {
        // error: 0.75 x (0.5 x 0.5 + 0.3 + 0.2) = 0.5625
        assertThat(score(IntegrationStatus.ERROR, HOURLY, NOW, jobs(1, 1, 0))).isEqualTo(0.56);
    }

    @Test
    void shouldMeasureFreshnessFromCreationBeforeTheFirstSync() {
        HealthScore.Inputs neverSynced = new HealthScore.Inputs(IntegrationStatus.CONNECTED,
                SyncFrequency.of(SyncFrequency.Kind.DAILY), null, NOW.minus(Duration.ofDays(3)), List.of(), NOW);
        // 3 days against a daily interval: freshness 1 - (3 - 1) / 2 = 0 -> 0.5 + 0 + 0.2
        assertThat(HealthScore.of(neverSynced)).isEqualTo(0.7);
    }

    private static double score(IntegrationStatus status, SyncFrequency frequency, Instant lastSync, List<SyncJob> recent) {
        return HealthScore.of(new HealthScore.Inputs(status, frequency, lastSync, NOW.minus(Duration.ofDays(30)), recent,
                NOW));
    }

    private static List<SyncJob> jobs(int completed, int failed, int rateLimited) {
        List<SyncJob> jobs = new ArrayList<>();
        for (int i = 0; i < completed; i++) {
            jobs.add(job(SyncJobStatus.COMPLETED, null));
        }
        for (int i = 0; i < failed; i++) {
            jobs.add(job(SyncJobStatus.FAILED, "provider_error"));
        }
        for (int i = 0; i < rateLimited; i++) {
            jobs.add(job(SyncJobStatus.FAILED, HealthScore.RATE_LIMITED));
        }
        return jobs;
    }

    private static SyncJob job(SyncJobStatus status, String errorCode) {
        SyncJob job = new SyncJob();
        job.status = status;
        job.errorCode = errorCode;
        return job;
    }
}
