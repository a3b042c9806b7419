package io.tributary.sandbox.rest;

import io.tributary.sandbox.service.OAuthServer;
import io.tributary.sandbox.service.TransactionGenerator.Account;
import io.tributary.sandbox.service.YnabBudgets;
import io.tributary.sandbox.service.YnabBudgets.Budget;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * YNAB's API v1 under {@code /ynab}: the user, budgets, accounts and transactions, amounts in
 * milliunits (outflow negative), delta requests with {@code last_knowledge_of_server}, errors as
 * {@code {"error": {id, name, detail}}}.
 */
@Path("/ynab/v1")
@Produces(MediaType.APPLICATION_JSON)
public class YnabResource {

    private final OAuthServer oauth;
    private final YnabBudgets budgets;

    /** The sandbox's budgets are in US dollars, as YNAB writes a budget's currency format. */
    private static final Map<String, Object> CURRENCY_FORMAT = Map.of("iso_code", "USD", "example_format",
            "123,456.78", "decimal_digits", 2, "decimal_separator", ".", "symbol_first", true, "group_separator", ",",
            "currency_symbol", "$", "display_symbol", true);
    private static final Map<String, Object> DATE_FORMAT = Map.of("format", "YYYY-MM-DD");

    public YnabResource(OAuthServer oauth, YnabBudgets budgets) {
        this.oauth = oauth;
        this.budgets = budgets;
    }

    @GET
    @Path("/user")
    public Response user(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return withOwner(authorization, owner -> Response.ok(Map.of("data", Map.of("user", Map.of("id", owner))))
                .build());
    }

    @GET
    @Path("/budgets")
    public Response list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return withOwner(authorization, owner -> {
            Budget budget = budgets.budgetOf(owner);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("id", budget.budgetId());
            summary.put("name", "Sandbox Budget");
            summary.put("last_modified_on", budget.anchor() + "T00:00:00+00:00");
            summary.put("first_month", budget.anchor().minusYears(2).withDayOfMonth(1).toString());
            summary.put("last_month", budget.anchor().withDayOfMonth(1).toString());
            summary.put("date_format", DATE_FORMAT);
            summary.put("currency_format", CURRENCY_FORMAT);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("budgets", List.of(summary));
            data.put("default_budget", null);
            return Response.ok(Map.of("data", data)).build();
        });
    }

    @GET
    @Path("/budgets/{budgetId}/settings")
    public Response settings(@PathParam("budgetId") String budgetId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return withBudget(authorization, budgetId, budget -> Response.ok(Map.of("data", Map.of("settings",
                Map.of("date_format", DATE_FORMAT, "currency_format", CURRENCY_FORMAT)))).build());
    }

    @GET
    @Path("/budgets/{budgetId}/accounts")
    public Response accounts(@PathParam("budgetId") String budgetId, @QueryParam("last_knowledge_of_server") String since,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return withBudget(authorization, budgetId, budget -> {
            List<Map<String, Object>> accounts = budgets.accounts(budget).stream().map(YnabResource::account).toList();
            return Response.ok(Map.of("data", Map.of("accounts", accounts, "server_knowledge",
                    budget.serverKnowledge()))).build();
        });
    }

    @GET
    @Path("/budgets/{budgetId}/transactions")
    public Response transactions(@PathParam("budgetId") String budgetId, @QueryParam("since_date") String sinceDate,
            @QueryParam("last_knowledge_of_server") String since,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        long knowledge;
        LocalDate from;
        try {
            knowledge = since == null || since.isBlank() ? 0 : Long.parseLong(since);
            from = sinceDate == null || sinceDate.isBlank() ? null : LocalDate.parse(sinceDate);
            if (knowledge < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            return error(400, "400", "bad_request", "since_date must be YYYY-MM-DD and last_knowledge_of_server "
                    + "a non-negative integer");
        }
        return withBudget(authorization, budgetId, budget -> {
            List<Map<String, Object>> transactions = budgets.transactionsSince(budget, knowledge, from).stream()
                    .map(YnabResource::transaction).toList();
            return Response.ok(Map.of("data", Map.of("transactions", transactions, "server_knowledge",
                    budget.serverKnowledge()))).build();
        });
    }

    private Response withOwner(String authorization, Function<String, Response> action) {
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        Optional<OAuthServer.AccessToken> token = oauth.accessToken("ynab", bearer)
                .filter(access -> !access.expired(oauth.now()));
        if (token.isEmpty()) {
            return error(401, "401", "unauthorized", "Unauthorized");
        }
        return action.apply(token.get().account());
    }

    private Response withBudget(String authorization, String budgetId, Function<Budget, Response> action) {
        return withOwner(authorization, owner -> {
            Budget own = budgets.budgetOf(owner);
            // "last-used" and "default" name the user's budget; another user's id is not found, as YNAB answers
            if ("last-used".equals(budgetId) || "default".equals(budgetId) || own.budgetId().equals(budgetId)) {
                return action.apply(own);
            }
            return error(404, "404.2", "resource_not_found", "Resource not found");
        });
    }

    private static Map<String, Object> account(Account account) {
        long balance = milliunits("credit".equals(account.type()) ? account.current().negate() : account.current());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", UUID.nameUUIDFromBytes(account.accountId().getBytes(StandardCharsets.UTF_8)).toString());
        body.put("name", account.name());
        body.put("type", switch (account.subtype()) {
            case "savings", "money market" -> "savings";
            case "credit card" -> "creditCard";
            default -> "checking";
        });
        body.put("on_budget", true);
        body.put("closed", false);
        body.put("note", null);
        body.put("balance", balance);
        body.put("cleared_balance", balance);
        body.put("uncleared_balance", 0);
        body.put("transfer_payee_id", UUID.nameUUIDFromBytes(("payee:" + account.accountId())
                .getBytes(StandardCharsets.UTF_8)).toString());
        body.put("deleted", false);
        return body;
    }

    private static Map<String, Object> transaction(YnabBudgets.YnabTransaction transaction) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", transaction.id());
        body.put("date", transaction.date().toString());
        body.put("amount", transaction.milliunits());
        body.put("memo", null);
        body.put("cleared", transaction.cleared());
        body.put("approved", true);
        body.put("flag_color", null);
        body.put("account_id", transaction.accountId());
        body.put("account_name", null);
        body.put("payee_id", UUID.nameUUIDFromBytes(("payee:" + transaction.payee()).getBytes(StandardCharsets.UTF_8))
                .toString());
        body.put("payee_name", transaction.payee());
        body.put("category_id", UUID.nameUUIDFromBytes(("category:" + transaction.category())
                .getBytes(StandardCharsets.UTF_8)).toString());
        body.put("category_name", transaction.category());
        body.put("transfer_account_id", null);
        body.put("import_id", null);
        body.put("deleted", transaction.deleted());
        body.put("subtransactions", List.of());
        return body;
    }

    private static long milliunits(BigDecimal amount) {
        return amount.multiply(BigDecimal.valueOf(1000)).longValueExact();
    }

    static Response error(int status, String id, String name, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", Map.of("id", id, "name", name, "detail", detail))).build();
    }
}
