package io.tributary.bank.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.repository.TransactionRepository;
import io.tributary.bank.service.TransactionService;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.QueryParameters;
import io.tributary.kit.security.CurrentUser;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.UUID;

/** The caller's transactions: amounts positive for money in, negative for money out. */
@Path("/api/bank/transactions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "SecurityScheme")
public class TransactionResource {

    private static final Set<String> PATCHABLE = Set.of("categoryId", "notes");
    private static final int MAX_NOTES = 2000;

    private final TransactionService transactions;
    private final CurrentUser user;

    public TransactionResource(TransactionService transactions, CurrentUser user) {
        this.transactions = transactions;
        this.user = user;
    }

    @GET
    @Operation(summary = "Newest first; filter by account, dates (inclusive, YYYY-MM-DD), amounts, category, "
            + "text and pending; pass nextCursor back as cursor for the next page")
    public Uni<TransactionService.Page> list(@QueryParam("accountId") String accountId,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("minAmount") String minAmount, @QueryParam("maxAmount") String maxAmount,
            @QueryParam("categoryId") String categoryId, @QueryParam("q") @Size(max = 200) String text,
            @QueryParam("pending") String pending, @QueryParam("cursor") @Size(max = 200) String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        TransactionRepository.Filter filter = new TransactionRepository.Filter(
                QueryParameters.parseUuid("accountId", accountId).orElse(null), date("from", from), date("to", to),
                amount("minAmount", minAmount), amount("maxAmount", maxAmount),
                QueryParameters.parseUuid("categoryId", categoryId).orElse(null),
                text == null || text.isBlank() ? null : text.trim(), bool("pending", pending));
        return transactions.page(user.id(), filter, cursor, limit);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of the caller's transactions")
    public Uni<TransactionRepository.Transaction> get(@PathParam("id") UUID id) {
        return transactions.get(user.id(), id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the category (a system one or the caller's, null for none) and the notes")
    public Uni<TransactionRepository.Transaction> patch(@PathParam("id") UUID id, @NotNull JsonNode body) {
        if (!body.isObject() || body.isEmpty()) {
            throw ProblemException.invalid("body", "give categoryId and/or notes");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PATCHABLE.contains(name)) {
                throw ProblemException.invalid(name, "cannot be changed; only categoryId and notes can");
            }
        }
        JsonNode category = body.get("categoryId");
        JsonNode notes = body.get("notes");
        if (category != null && !category.isNull() && !category.isTextual()) {
            throw ProblemException.invalid("categoryId", "must be a UUID or null");
        }
        if (notes != null && !notes.isNull() && (!notes.isTextual() || notes.asText().length() > MAX_NOTES)) {
            throw ProblemException.invalid("notes", "must be text of at most " + MAX_NOTES + " characters, or null");
        }
        UUID categoryId = category == null || category.isNull() ? null
                : QueryParameters.parseUuid("categoryId", category.asText()).orElse(null);
        return transactions.update(user.id(), id, category != null, categoryId, notes != null,
                notes == null || notes.isNull() ? null : notes.asText());
    }

    private static LocalDate date(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(parameter, "must be a date such as 2026-11-21");
        }
    }

    private static BigDecimal amount(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            BigDecimal amount = new BigDecimal(value.trim());
            if (amount.abs().compareTo(new BigDecimal("1e15")) >= 0) {
                throw new NumberFormatException("too large");
            }
            return amount;
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(parameter, "must be a decimal amount such as -12.50");
        }
    }

    private static Boolean bool(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.invalid(parameter, "must be true or false");
        };
    }
}
