package io.tributary.integration.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.SyncTrigger;
import io.tributary.contracts.event.SyncType;
import io.tributary.integration.SyncJobStatus;
import io.tributary.integration.config.IntegrationServiceConfig;
import io.tributary.integration.rest.IntegrationViews.SyncJobView;
import io.tributary.kit.problem.ProblemException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows a sync job for its progress stream: re-reads the job every poll interval and emits it
 * whenever it changed, ending with its final state. Reading the database, not local memory, the
 * stream works whichever replica consumed the job's reports.
 */
@ApplicationScoped
public class SyncJobProgress {

    private static final String OWNED_JOB = "SELECT j.* FROM integration.sync_jobs j "
            + "JOIN integration.integrations i ON i.id = j.integration_id "
            + "WHERE j.id = $1 AND j.integration_id = $2 AND i.user_id = $3 AND i.is_active";

    private final Pool pool;
    private final Duration pollInterval;

    public SyncJobProgress(Pool pool, IntegrationServiceConfig config) {
        this.pool = pool;
        this.pollInterval = config.syncJobs().progressPollInterval();
    }

    /** The job as it is now, when it is the caller's; a 404 problem otherwise. */
    public Uni<SyncJobView> current(String userId, UUID integrationId, UUID jobId) {
        return read(Tuple.of(jobId, integrationId, userId))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Sync job", jobId));
    }

    /** The job from {@code first} on, each change once, ending after its final state. */
    public Multi<SyncJobView> follow(SyncJobView first, String userId) {
        Tuple key = Tuple.of(first.id(), first.integrationId(), userId);
        AtomicBoolean ended = new AtomicBoolean();
        return Multi.createBy().concatenating().streams(
                        Multi.createFrom().item(first),
                        Multi.createFrom().ticks().every(pollInterval)
                                .onItem().transformToUniAndConcatenate(tick -> read(key))
                                .select().where(job -> job != null))
                // let the final state through, end at the next reading
                .select().first(job -> !ended.getAndSet(ended.get() || job.status().isFinal()))
                .skip().repetitions();
    }

    private Uni<SyncJobView> read(Tuple key) {
        return pool.preparedQuery(OWNED_JOB).execute(key)
                .map(rows -> rows.iterator().hasNext() ? toView(rows.iterator().next()) : null);
    }

    private static SyncJobView toView(Row row) {
        return new SyncJobView(row.getUUID("id"), row.getUUID("integration_id"),
                SyncType.valueOf(upper(row.getString("sync_type"))), SyncTrigger.valueOf(upper(row.getString("trigger"))),
                SyncJobStatus.valueOf(upper(row.getString("status"))), instant(row, "created_at"),
                instant(row, "started_at"), instant(row, "completed_at"), row.getLong("records_added"),
                row.getLong("records_updated"), row.getLong("records_deleted"), row.getLong("records_failed"),
                row.getString("error_code"), row.getString("error_message"));
    }

    private static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static String upper(String value) {
        return value.toUpperCase(Locale.ROOT);
    }
}
