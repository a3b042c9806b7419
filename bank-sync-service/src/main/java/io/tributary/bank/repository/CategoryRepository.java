package io.tributary.bank.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The system's categories, which every user sees and none may change, and each user's own. */
@ApplicationScoped
public class CategoryRepository {

    private static final String COLUMNS = "id, user_id IS NULL AS system, name, kind, parent_id, provider_code, "
            + "color, icon";

    private final Pool pool;

    public CategoryRepository(Pool pool) {
        this.pool = pool;
    }

    public record Category(UUID id, boolean system, String name, String kind, UUID parentId, String providerCode,
            String color, String icon) {
    }

    public record Fields(String name, String kind, UUID parentId, String color, String icon) {
    }

    public Uni<List<Category>> visibleTo(String userId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM bank.categories WHERE user_id IS NULL OR user_id = $1 "
                        + "ORDER BY user_id NULLS FIRST, kind, lower(name), id")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<Category> categories = new ArrayList<>();
                    rows.forEach(row -> categories.add(category(row)));
                    return categories;
                });
    }

    /** A category the user may see (the system's or their own), or null. */
    public Uni<Category> visible(String userId, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM bank.categories WHERE id = $2 "
                        + "AND (user_id IS NULL OR user_id = $1)")
                .execute(Tuple.of(userId, id))
                .map(rows -> rows.iterator().hasNext() ? category(rows.iterator().next()) : null);
    }

    /** Inserts the user's category; its parent must be visible to them (else no row: null). */
    public Uni<Category> insert(String userId, Fields fields) {
        return pool.preparedQuery("INSERT INTO bank.categories (id, user_id, name, kind, parent_id, color, icon) "
                        + "SELECT gen_random_uuid(), $1, $2, $3, $4, $5, $6 WHERE $4::uuid IS NULL OR EXISTS "
                        + "(SELECT 1 FROM bank.categories p WHERE p.id = $4 AND (p.user_id IS NULL OR p.user_id = $1)) "
                        + "RETURNING " + COLUMNS)
                .execute(Tuple.of(userId, fields.name(), fields.kind(), fields.parentId(), fields.color(),
                        fields.icon()))
                .map(rows -> rows.iterator().hasNext() ? category(rows.iterator().next()) : null);
    }

    /**
     * Replaces the fields of the user's own category; null when it is not theirs, or the parent is not
     * visible or lies under the category itself (a cycle).
     */
    public Uni<Category> update(String userId, UUID id, Fields fields) {
        return pool.preparedQuery("UPDATE bank.categories SET name = $3, kind = $4, parent_id = $5, color = $6, "
                        + "icon = $7 WHERE id = $2 AND user_id = $1 AND ($5::uuid IS NULL OR (EXISTS "
                        + "(SELECT 1 FROM bank.categories p WHERE p.id = $5 AND (p.user_id IS NULL OR p.user_id = $1)) "
                        + "AND $5 NOT IN (WITH RECURSIVE below(id) AS (SELECT c.id FROM bank.categories c "
                        + "WHERE c.parent_id = $2 UNION SELECT c.id FROM bank.categories c JOIN below b "
                        + "ON c.parent_id = b.id) SELECT below.id FROM below))) "
                        + "RETURNING " + COLUMNS)
                .execute(Tuple.tuple().addValue(userId).addValue(id).addValue(fields.name()).addValue(fields.kind())
                        .addValue(fields.parentId()).addValue(fields.color()).addValue(fields.icon()))
                .map(rows -> rows.iterator().hasNext() ? category(rows.iterator().next()) : null);
    }

    /** Deletes the user's own category; its transactions become uncategorised and its children top-level. */
    public Uni<Boolean> delete(String userId, UUID id) {
        return pool.withTransaction(tx -> tx.preparedQuery("UPDATE bank.transactions SET category_id = NULL, "
                                + "updated_at = now() WHERE category_id = $1 AND user_id = $2")
                        .execute(Tuple.of(id, userId))
                        .chain(() -> tx.preparedQuery("UPDATE bank.categories SET parent_id = NULL "
                                + "WHERE parent_id = $1 AND user_id = $2").execute(Tuple.of(id, userId)))
                        .chain(() -> tx.preparedQuery("DELETE FROM bank.categories WHERE id = $1 AND user_id = $2")
                                .execute(Tuple.of(id, userId))))
                .map(rows -> rows.rowCount() > 0);
    }

    private static Category category(Row row) {
        return new Category(row.getUUID("id"), row.getBoolean("system"), row.getString("name"), row.getString("kind"),
                row.getUUID("parent_id"), row.getString("provider_code"), row.getString("color"),
                row.getString("icon"));
    }
}
