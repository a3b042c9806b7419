package io.tributary.bank.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The queue of sync runs in {@code transaction_syncs}. A run is claimed with {@code FOR UPDATE SKIP
 * LOCKED} under a lease and a fresh claim id; every write of the run names that claim id, so a
 * replica that lost its lease (paused, cut off) can no longer write.
 */
@ApplicationScoped
public class SyncRunRepository {

    /** The active connection of an integration, as the consumer needs it to queue a run. */
    public record ConnectionRef(UUID id, String cursor) {
    }

    /** A claimed run with what its events and engine need. */
    public record ClaimedRun(UUID id, UUID claimId, UUID syncJobId, String syncType, String requestedType,
            UUID connectionId, UUID integrationId, String userId, String provider, String cursor, Instant startedAt,
            boolean firstClaim, int retryCount) {
    }

    /** A run's counts so far. */
    public record Counts(long added, long updated, long deleted, long failed) {
    }

    /** Thrown when a run's claim was taken over; the page's transaction rolls back. */
    public static class LeaseLostException extends RuntimeException {

        public LeaseLostException(UUID runId) {
            super("Sync run " + runId + " was claimed by another worker", null, false, false);
        }
    }

    /** In the consumer's (Hibernate) transaction, beside the inbox row. */
    public Uni<ConnectionRef> activeConnection(UUID integrationId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT CAST(id AS text), sync_cursor FROM bank.bank_connections "
                                + "WHERE integration_id = :integration AND is_active")
                .setParameter("integration", integrationId)
                .getResultList())
                .map(SyncRunRepository::firstConnection);
    }

    /** Opens the connection of an Open Banking or YNAB integration (one consent or budget per integration), or finds it. */
    public Uni<ConnectionRef> openConnection(UUID integrationId, String userId, String provider) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "INSERT INTO bank.bank_connections AS b (id, integration_id, user_id, provider, external_id) "
                                + "VALUES (gen_random_uuid(), :integration, :user, :provider, :external) "
                                + "ON CONFLICT (provider, external_id) DO UPDATE SET is_active = true, "
                                + "updated_at = now() RETURNING CAST(b.id AS text), b.sync_cursor")
                .setParameter("integration", integrationId)
                .setParameter("user", userId)
                .setParameter("provider", provider)
                .setParameter("external", ("ynab".equals(provider) ? "budget:" : "consent:") + integrationId)
                .getResultList())
                .map(SyncRunRepository::firstConnection);
    }

    /** The active connection of a Plaid Item. */
    public Uni<ConnectionRef> plaidConnection(String itemId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT CAST(id AS text), sync_cursor FROM bank.bank_connections "
                                + "WHERE provider = 'plaid' AND external_id = :item AND is_active")
                .setParameter("item", itemId)
                .getResultList())
                .map(SyncRunRepository::firstConnection);
    }

    /** What the provider said is wrong with a connection; {@code reauth} when only the user can fix it. */
    public Uni<Integer> connectionTrouble(UUID connectionId, boolean reauth, String message, Instant consentExpiresAt) {
        String expiry = consentExpiresAt == null ? "" : "consent_expires_at = :expires, ";
        return Panache.getSession().flatMap(session -> {
            var update = session.createNativeQuery("UPDATE bank.bank_connections SET requires_reauth = "
                            + "requires_reauth OR :reauth, last_error = :message, last_error_at = now(), " + expiry
                            + "updated_at = now(), version = version + 1 WHERE id = :id")
                    .setParameter("reauth", reauth)
                    .setParameter("message", message)
                    .setParameter("id", connectionId);
            if (consentExpiresAt != null) {
                update.setParameter("expires", OffsetDateTime.ofInstant(consentExpiresAt, ZoneOffset.UTC));
            }
            return update.executeUpdate();
        });
    }

    public Uni<Integer> loginRepaired(UUID connectionId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "UPDATE bank.bank_connections SET requires_reauth = false, last_error = NULL, "
                                + "last_error_at = NULL, error_count = 0, updated_at = now(), version = version + 1 "
                                + "WHERE id = :id")
                .setParameter("id", connectionId)
                .executeUpdate());
    }

    /**
     * Queues a run for the job unless the job already has one; answers whether it queued. A
     * connection with a run already pending or running is refused with {@code false} too, and
     * {@link #activeRunOf} tells the two apart.
     */
    public Uni<Boolean> enqueue(UUID runId, UUID connectionId, UUID syncJobId, String syncType, String requestedType) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "INSERT INTO bank.transaction_syncs (id, connection_id, sync_job_id, sync_type, requested_type, "
                                + "status) VALUES (:id, :connection, :job, :type, :requested, 'pending') "
                                + "ON CONFLICT DO NOTHING")
                .setParameter("id", runId)
                .setParameter("connection", connectionId)
                .setParameter("job", syncJobId)
                .setParameter("type", syncType)
                .setParameter("requested", requestedType)
                .executeUpdate())
                .map(inserted -> inserted > 0);
    }

    public Uni<Boolean> hasRunForJob(UUID syncJobId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT count(*) FROM bank.transaction_syncs WHERE sync_job_id = :job", Long.class)
                .setParameter("job", syncJobId)
                .getSingleResult())
                .map(count -> count > 0);
    }

    /** The job id of the connection's pending or running run, if any. */
    public Uni<UUID> activeRunOf(UUID connectionId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT CAST(sync_job_id AS text) FROM bank.transaction_syncs WHERE connection_id = :connection "
                                + "AND status IN ('pending', 'running')", String.class)
                .setParameter("connection", connectionId)
                .getResultList())
                .map(rows -> rows.isEmpty() || rows.get(0) == null ? null : UUID.fromString(rows.get(0)));
    }

    /** Claims the oldest due run: pending and past its retry time, or running with its lease run out. */
    public Uni<ClaimedRun> claimNext(SqlConnection tx, Duration lease) {
        return tx.preparedQuery("WITH next AS (SELECT s.id, s.started_at IS NULL AS first_claim "
                        + "FROM bank.transaction_syncs s WHERE (s.status = 'pending' AND (s.retry_after IS NULL "
                        + "OR s.retry_after <= now())) OR (s.status = 'running' AND s.lease_until < now()) "
                        + "ORDER BY s.created_at LIMIT 1 FOR UPDATE SKIP LOCKED), "
                        + "claimed AS (UPDATE bank.transaction_syncs s SET status = 'running', "
                        + "started_at = coalesce(s.started_at, now()), "
                        + "lease_until = now() + $1::bigint * interval '1 millisecond', "
                        + "claim_id = gen_random_uuid(), retry_after = NULL FROM next WHERE s.id = next.id "
                        + "RETURNING s.*, next.first_claim) "
                        + "SELECT c.id, c.claim_id, c.sync_job_id, c.sync_type, c.requested_type, c.connection_id, "
                        + "c.started_at, c.first_claim, c.retry_count, b.integration_id, b.user_id, b.provider, "
                        + "b.sync_cursor FROM claimed c JOIN bank.bank_connections b ON b.id = c.connection_id")
                .execute(Tuple.of(interval(lease)))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new ClaimedRun(row.getUUID("id"), row.getUUID("claim_id"), row.getUUID("sync_job_id"),
                            row.getString("sync_type"), row.getString("requested_type"), row.getUUID("connection_id"),
                            row.getUUID("integration_id"), row.getString("user_id"), row.getString("provider"),
                            row.getString("sync_cursor"), row.getOffsetDateTime("started_at").toInstant(),
                            row.getBoolean("first_claim"), row.getInteger("retry_count"));
                });
    }

    /** Adds a committed page's counts and renews the lease; answers the run's totals so far. */
    public Uni<Counts> recordPage(SqlConnection tx, ClaimedRun run, long added, long updated, long deleted,
            Duration lease) {
        return tx.preparedQuery("UPDATE bank.transaction_syncs SET records_added = records_added + $3, "
                        + "records_updated = records_updated + $4, records_deleted = records_deleted + $5, "
                        + "records_processed = records_processed + $3 + $4 + $5, pages = pages + 1, "
                        + "lease_until = now() + $6::bigint * interval '1 millisecond' "
                        + "WHERE id = $1 AND claim_id = $2 AND status = 'running' "
                        + "RETURNING records_added, records_updated, records_deleted, records_failed")
                .execute(Tuple.of(run.id(), run.claimId(), added, updated, deleted, interval(lease)))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        throw new LeaseLostException(run.id());
                    }
                    Row row = rows.iterator().next();
                    return new Counts(row.getLong("records_added"), row.getLong("records_updated"),
                            row.getLong("records_deleted"), row.getLong("records_failed"));
                });
    }

    /** The run's end; the caller writes the connection's cursor in the same transaction. */
    public Uni<Instant> complete(SqlConnection tx, ClaimedRun run) {
        return tx.preparedQuery("UPDATE bank.transaction_syncs SET status = 'completed', completed_at = now(), "
                        + "lease_until = NULL, error_code = NULL, error_message = NULL "
                        + "WHERE id = $1 AND claim_id = $2 AND status = 'running' RETURNING completed_at")
                .execute(Tuple.of(run.id(), run.claimId()))
                .map(rows -> finishedAt(rows, run));
    }

    /** Fails the run for good, and counts the error on its connection. */
    public Uni<Instant> fail(SqlConnection tx, ClaimedRun run, String code, String message, boolean reauthRequired) {
        return tx.preparedQuery("WITH failed AS (UPDATE bank.transaction_syncs SET status = 'failed', "
                        + "completed_at = now(), lease_until = NULL, error_code = $3, error_message = $4 "
                        + "WHERE id = $1 AND claim_id = $2 AND status = 'running' RETURNING connection_id, completed_at), "
                        + "connection AS (UPDATE bank.bank_connections b SET error_count = error_count + 1, "
                        + "last_error = $4, last_error_at = now(), requires_reauth = requires_reauth OR $5, "
                        + "updated_at = now(), version = version + 1 FROM failed WHERE b.id = failed.connection_id) "
                        + "SELECT completed_at FROM failed")
                .execute(Tuple.of(run.id(), run.claimId(), code, message, reauthRequired))
                .map(rows -> finishedAt(rows, run));
    }

    /** Puts the run back in the queue until {@code at}; it keeps its counts. */
    public Uni<Void> reschedule(SqlConnection tx, ClaimedRun run, Instant at, String code, String message) {
        return tx.preparedQuery("UPDATE bank.transaction_syncs SET status = 'pending', retry_after = $3, "
                        + "retry_count = retry_count + 1, lease_until = NULL, error_code = $4, error_message = $5 "
                        + "WHERE id = $1 AND claim_id = $2 AND status = 'running'")
                .execute(Tuple.of(run.id(), run.claimId(), OffsetDateTime.ofInstant(at, ZoneOffset.UTC), code,
                        message))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new LeaseLostException(run.id());
                    }
                    return null;
                });
    }

    public Uni<Counts> counts(SqlConnection tx, UUID runId) {
        return tx.preparedQuery("SELECT records_added, records_updated, records_deleted, records_failed "
                        + "FROM bank.transaction_syncs WHERE id = $1")
                .execute(Tuple.of(runId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Counts(row.getLong("records_added"), row.getLong("records_updated"),
                            row.getLong("records_deleted"), row.getLong("records_failed"));
                });
    }

    private static Instant finishedAt(io.vertx.mutiny.sqlclient.RowSet<Row> rows, ClaimedRun run) {
        if (!rows.iterator().hasNext()) {
            throw new LeaseLostException(run.id());
        }
        return rows.iterator().next().getOffsetDateTime("completed_at").toInstant();
    }

    /** The first row of an (id as text, cursor) query, or null. */
    private static ConnectionRef firstConnection(java.util.List<?> rows) {
        if (rows.isEmpty()) {
            return null;
        }
        Object[] row = (Object[]) rows.get(0);
        return new ConnectionRef(UUID.fromString((String) row[0]), (String) row[1]);
    }

    private static long interval(Duration duration) {
        return duration.toMillis();
    }
}
