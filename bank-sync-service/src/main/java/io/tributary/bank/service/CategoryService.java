package io.tributary.bank.service;

import io.smallrye.mutiny.Uni;
import io.tributary.bank.repository.CategoryRepository;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.ProblemType;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** Categories: the system's are read-only for everyone; a user's are theirs alone. */
@ApplicationScoped
public class CategoryService {

    private final CategoryRepository categories;

    public CategoryService(CategoryRepository categories) {
        this.categories = categories;
    }

    public Uni<List<CategoryRepository.Category>> list(String userId) {
        return categories.visibleTo(userId);
    }

    public Uni<CategoryRepository.Category> create(String userId, CategoryRepository.Fields fields) {
        return categories.insert(userId, fields)
                .onFailure(CategoryService::duplicate).transform(failure -> duplicateName(fields))
                .onItem().ifNull().failWith(() -> ProblemException.invalid("parentId", "is not a category of yours "
                        + "or the system's"));
    }

    public Uni<CategoryRepository.Category> update(String userId, UUID id, CategoryRepository.Fields fields) {
        if (id.equals(fields.parentId())) {
            throw ProblemException.invalid("parentId", "cannot be the category itself");
        }
        return writable(userId, id)
                .flatMap(ignored -> categories.update(userId, id, fields))
                .onFailure(CategoryService::duplicate).transform(failure -> duplicateName(fields))
                .onItem().ifNull().failWith(() -> ProblemException.invalid("parentId", "is not a category of yours "
                        + "or the system's, or lies under this one"));
    }

    public Uni<Void> delete(String userId, UUID id) {
        return writable(userId, id).flatMap(ignored -> categories.delete(userId, id)).replaceWithVoid();
    }

    /** The user's own category; a system one is visible but not theirs to change (403), another user's is 404. */
    private Uni<CategoryRepository.Category> writable(String userId, UUID id) {
        return categories.visible(userId, id).map(category -> {
            if (category == null) {
                throw ProblemException.notFound("Category", id);
            }
            if (category.system()) {
                throw new ProblemException(ProblemType.FORBIDDEN, "System categories cannot be changed; create "
                        + "your own instead");
            }
            return category;
        });
    }

    private static boolean duplicate(Throwable failure) {
        return failure instanceof PgException database && "23505".equals(database.getSqlState());
    }

    private static ProblemException duplicateName(CategoryRepository.Fields fields) {
        return ProblemException.conflict("You already have a category named \"" + fields.name() + "\" there");
    }
}
