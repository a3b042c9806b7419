package io.tributary.bank.service;

import io.smallrye.mutiny.Uni;
import io.tributary.bank.repository.TransactionRepository;
import io.tributary.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** The caller's transactions: a filtered list with an opaque cursor, and the user's own category and notes. */
@ApplicationScoped
public class TransactionService {

    private final TransactionRepository transactions;

    public TransactionService(TransactionRepository transactions) {
        this.transactions = transactions;
    }

    /** A page and the cursor of the next one (null at the end). */
    public record Page(List<TransactionRepository.Transaction> items, String nextCursor) {
    }

    public Uni<Page> page(String userId, TransactionRepository.Filter filter, String cursor, int limit) {
        if (filter.from() != null && filter.to() != null && filter.from().isAfter(filter.to())) {
            throw ProblemException.invalid("from", "must not be after to");
        }
        if (filter.minAmount() != null && filter.maxAmount() != null
                && filter.minAmount().compareTo(filter.maxAmount()) > 0) {
            throw ProblemException.invalid("minAmount", "must not be more than maxAmount");
        }
        TransactionRepository.Position after = decode(cursor);
        // one more than asked tells whether there is a next page
        return transactions.page(userId, filter, after, limit + 1).map(found -> {
            if (found.size() <= limit) {
                return new Page(found, null);
            }
            List<TransactionRepository.Transaction> items = found.subList(0, limit);
            TransactionRepository.Transaction last = items.get(limit - 1);
            return new Page(List.copyOf(items), encode(last.date(), last.id()));
        });
    }

    public Uni<TransactionRepository.Transaction> get(String userId, UUID id) {
        return transactions.find(userId, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Transaction", id));
    }

    /** Changes what the caller sent; a category that is neither the system's nor theirs is refused. */
    public Uni<TransactionRepository.Transaction> update(String userId, UUID id, boolean setCategory, UUID categoryId,
            boolean setNotes, String notes) {
        return get(userId, id)
                .flatMap(existing -> transactions.update(userId, id, setCategory, categoryId, setNotes, notes))
                .flatMap(updated -> {
                    if (!updated) {
                        throw ProblemException.invalid("categoryId", "is not a category of yours or the system's");
                    }
                    return get(userId, id);
                });
    }

    static String encode(LocalDate date, UUID id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((date + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    static TransactionRepository.Position decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            if (parts.length != 2) {
                throw new IllegalArgumentException("two parts expected");
            }
            return new TransactionRepository.Position(LocalDate.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ProblemException.invalid("cursor", "is not a cursor this API gave out");
        }
    }
}
