package io.tributary.kit.outbox;

/** The outbox's SQL, qualified with the service's schema (validated by {@code KitConfig}). */
final class OutboxSql {

    private OutboxSql() {
    }

    /**
     * A multi-row insert, parameters suffixed with the row's index.
     */
    static String insert(String schema, int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table(schema))
                .append(" (id, topic, event_key, ce_type, ce_source, ce_time, payload) VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append("(CAST(:id").append(i).append(" AS uuid), :topic").append(i).append(", :eventKey").append(i)
                    .append(", :ceType").append(i).append(", :ceSource").append(i).append(", :ceTime").append(i)
                    .append(", CAST(:payload").append(i).append(" AS text))");
        }
        return sql.toString();
    }

    /**
     * {@link #insert} for the SQL client, the rows as arrays: one statement text for any number of
     * rows, so the client can keep it prepared. Rows get their {@code seq} in array order.
     */
    static String insertArrays(String schema) {
        return "INSERT INTO " + table(schema) + " (id, topic, event_key, ce_type, ce_source, ce_time, payload) "
                + "SELECT d.id, d.topic, d.event_key, d.ce_type, $5, d.ce_time, d.payload "
                + "FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $6::timestamptz[], $7::text[]) "
                + "WITH ORDINALITY AS d(id, topic, event_key, ce_type, ce_time, payload, n) ORDER BY d.n";
    }

    /** One relay at a time per schema keeps each key's events in commit order across replicas. */
    static String tryRelayLock() {
        return "SELECT pg_try_advisory_xact_lock(hashtext($1))";
    }

    static String claimPending(String schema) {
        return "SELECT seq, id, topic, event_key, ce_type, ce_source, ce_time, payload, created_at "
                + "FROM " + table(schema) + " WHERE sent_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED";
    }

    static String markSent(String schema) {
        return "UPDATE " + table(schema) + " SET sent_at = clock_timestamp() WHERE seq = ANY($1)";
    }

    static String countPending(String schema) {
        return "SELECT count(*) FROM " + table(schema) + " WHERE sent_at IS NULL";
    }

    static String deleteSentBefore(String schema) {
        return "DELETE FROM " + table(schema) + " WHERE sent_at < $1";
    }

    static String notifyChannel(String schema) {
        return "tributary_outbox_" + schema;
    }

    private static String table(String schema) {
        return schema + ".outbox_events";
    }
}
