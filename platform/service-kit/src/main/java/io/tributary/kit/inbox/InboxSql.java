package io.tributary.kit.inbox;

/** The inbox's SQL, qualified with the service's schema (validated by {@code KitConfig}). */
final class InboxSql {

    private final String table;

    InboxSql(String schema) {
        this.table = schema + ".inbox_events";
    }

    /** Inserting first also makes a concurrent duplicate wait on the key, then skip. */
    String recordIfNew() {
        return "INSERT INTO " + table + " (consumer, event_id, topic) VALUES (:consumer, :eventId, :topic) "
                + "ON CONFLICT (consumer, event_id) DO NOTHING";
    }

    String deleteBefore() {
        return "DELETE FROM " + table + " WHERE processed_at < :cutoff";
    }
}
