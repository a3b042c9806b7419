package io.tributary.sandbox.rest;

import io.tributary.sandbox.config.SandboxConfig;
import io.tributary.sandbox.service.Ledgers;
import io.tributary.sandbox.service.OAuthServer;
import io.tributary.sandbox.service.RateWindow;
import io.tributary.sandbox.service.XeroBooks;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Xero's Accounting API under {@code /xero/api.xro/2.0} (shared/providers.md 2.6): Accounts, and
 * BankTransactions and Invoices with {@code If-Modified-Since}, {@code page}/{@code pageSize} and
 * simple {@code where} equality filters. Every call names its organisation in {@code xero-tenant-id};
 * every answer carries the remaining-calls headers, and a tenant over its minute or day limit gets
 * 429 with {@code Retry-After} and {@code X-Rate-Limit-Problem}.
 */
@Path("/xero/api.xro/2.0")
@Produces(MediaType.APPLICATION_JSON)
public class XeroResource {

    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGE_SIZE = 1000;
    /** {@code Field=="value"} clauses joined by {@code AND} or {@code &&}: the part of Xero's where the sandbox reads. */
    private static final Pattern CLAUSE = Pattern.compile("\\s*([A-Za-z]+)\\s*==\\s*\"([^\"]*)\"\\s*");

    private final OAuthServer oauth;
    private final XeroBooks books;
    private final SandboxConfig.Xero limits;
    private final Map<String, RateWindow> minute = new ConcurrentHashMap<>();
    private final Map<String, RateWindow> day = new ConcurrentHashMap<>();
    private final RateWindow appMinute = new RateWindow(ChronoUnit.MINUTES);

    public XeroResource(OAuthServer oauth, XeroBooks books, SandboxConfig config) {
        this.oauth = oauth;
        this.books = books;
        this.limits = config.xero();
    }

    @GET
    @Path("/Accounts")
    public Response accounts(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("xero-tenant-id") String tenant, @HeaderParam("If-Modified-Since") String ifModifiedSince,
            @Context UriInfo uri) {
        return call(authorization, tenant, () -> {
            Instant since = since(ifModifiedSince);
            Predicate<Map<String, Object>> where = where(uri.getQueryParameters().getFirst("where"));
            List<Map<String, Object>> accounts = books.accounts(tenant).stream()
                    .filter(account -> since == null || updated(account).isAfter(since))
                    .filter(where).toList();
            return envelope("Accounts", accounts, null);
        });
    }

    @GET
    @Path("/BankTransactions")
    public Response bankTransactions(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("xero-tenant-id") String tenant, @HeaderParam("If-Modified-Since") String ifModifiedSince,
            @Context UriInfo uri) {
        return call(authorization, tenant, () -> list(tenant, XeroBooks.BANK_TRANSACTIONS, ifModifiedSince,
                uri.getQueryParameters(), books::bankTransaction, Set.of()));
    }

    @GET
    @Path("/BankTransactions/{id}")
    public Response bankTransaction(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("xero-tenant-id") String tenant) {
        return call(authorization, tenant, () -> one(tenant, XeroBooks.BANK_TRANSACTIONS, id, books::bankTransaction));
    }

    @GET
    @Path("/Invoices")
    public Response invoices(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("xero-tenant-id") String tenant, @HeaderParam("If-Modified-Since") String ifModifiedSince,
            @Context UriInfo uri) {
        return call(authorization, tenant, () -> list(tenant, XeroBooks.INVOICES, ifModifiedSince,
                uri.getQueryParameters(), books::invoice, Set.of("Statuses", "IDs", "InvoiceNumbers")));
    }

    @GET
    @Path("/Invoices/{id}")
    public Response invoice(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("xero-tenant-id") String tenant) {
        return call(authorization, tenant, () -> one(tenant, XeroBooks.INVOICES, id, books::invoice));
    }

    private Response list(String tenant, String collection, String ifModifiedSince,
            MultivaluedMap<String, String> query, BiFunction<String, Long, Map<String, Object>> render,
            Set<String> listFilters) {
        Instant since = since(ifModifiedSince);
        Integer page = positive(query, "page", null, Integer.MAX_VALUE);
        int pageSize = positive(query, "pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        Predicate<Map<String, Object>> filter = where(query.getFirst("where"));
        for (String name : listFilters) {
            String values = query.getFirst(name);
            if (values != null && !values.isBlank()) {
                String field = switch (name) {
                    case "Statuses" -> "Status";
                    case "IDs" -> "InvoiceID";
                    default -> "InvoiceNumber";
                };
                Set<String> wanted = Arrays.stream(values.split(",")).map(String::trim).collect(Collectors.toSet());
                filter = filter.and(record -> wanted.contains(String.valueOf(record.get(field))));
            }
        }
        Ledgers.Selection selection = books.book(tenant, collection).changedSince(since, null);
        boolean filtered = query.getFirst("where") != null || listFilters.stream().anyMatch(query::containsKey);
        List<Map<String, Object>> records = new ArrayList<>();
        long itemCount;
        long skip = page == null ? 0 : (long) (page - 1) * pageSize;
        long take = page == null ? Long.MAX_VALUE : pageSize;
        if (!filtered) {
            itemCount = selection.size();
            for (long position = skip; position < selection.size() && records.size() < take; position++) {
                records.add(render.apply(tenant, selection.index(position)));
            }
        } else {
            itemCount = 0;
            for (long position = 0; position < selection.size(); position++) {
                Map<String, Object> record = render.apply(tenant, selection.index(position));
                if (filter.test(record)) {
                    if (itemCount >= skip && records.size() < take) {
                        records.add(record);
                    }
                    itemCount++;
                }
            }
        }
        Map<String, Object> pagination = null;
        if (page != null) {
            pagination = new LinkedHashMap<>();
            pagination.put("page", page);
            pagination.put("pageSize", pageSize);
            pagination.put("pageCount", (itemCount + pageSize - 1) / pageSize);
            pagination.put("itemCount", itemCount);
        }
        return envelope(collection, records, pagination);
    }

    private Response one(String tenant, String collection, String id,
            BiFunction<String, Long, Map<String, Object>> render) {
        long index = books.index(tenant, collection, id);
        if (index < 0) {
            return problem(404, "Not Found", "The resource you're looking for cannot be found");
        }
        return envelope(collection, List.of(render.apply(tenant, index)), null);
    }

    /** Authenticates, checks the tenant against the token's connection, counts the call against the limits. */
    private Response call(String authorization, String tenant, java.util.function.Supplier<Response> action) {
        var token = oauth.accessToken("xero", Authorization.bearer(authorization));
        if (token.isEmpty() || token.get().expired(oauth.now())) {
            return Response.fromResponse(problem(401, "Unauthorized", token.isPresent()
                    ? "TokenExpired: token expired at " + token.get().expiresAt() : "AuthenticationUnsuccessful"))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build();
        }
        if (tenant == null || !tenant.equals(token.get().account())) {
            return problem(403, "Forbidden", tenant == null ? "AuthorizationUnsuccessful: the xero-tenant-id header "
                    + "is required" : "AuthorizationUnsuccessful: the tenant is not connected to this token");
        }
        Instant now = oauth.now();
        RateWindow tenantMinute = minute.computeIfAbsent(tenant, key -> new RateWindow(ChronoUnit.MINUTES));
        RateWindow tenantDay = day.computeIfAbsent(tenant, key -> new RateWindow(ChronoUnit.DAYS));
        int minuteLeft = tenantMinute.take(now, limits.minuteLimit());
        int dayLeft = tenantDay.take(now, limits.dayLimit());
        int appLeft = appMinute.take(now, limits.appMinuteLimit());
        if (minuteLeft < 0 || dayLeft < 0 || appLeft < 0) {
            String problem = dayLeft < 0 ? "day" : appLeft < 0 ? "appminute" : "minute";
            long retryAfter = (dayLeft < 0 ? tenantDay : minuteLeft < 0 ? tenantMinute : appMinute).secondsToReset(now);
            return Response.status(429).header("Retry-After", retryAfter)
                    .header("X-Rate-Limit-Problem", problem)
                    .header("X-DayLimit-Remaining", Math.max(0, dayLeft))
                    .header("X-MinLimit-Remaining", Math.max(0, minuteLeft))
                    .header("X-AppMinLimit-Remaining", Math.max(0, appLeft)).build();
        }
        Response answer;
        try {
            answer = action.get();
        } catch (InvalidRequest invalid) {
            answer = validation(invalid.getMessage());
        }
        return Response.fromResponse(answer).header("X-DayLimit-Remaining", dayLeft)
                .header("X-MinLimit-Remaining", minuteLeft).header("X-AppMinLimit-Remaining", appLeft).build();
    }

    private static Response envelope(String collection, List<Map<String, Object>> records,
            Map<String, Object> pagination) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Id", UUID.randomUUID().toString());
        body.put("Status", "OK");
        body.put("ProviderName", "Tributary sandbox");
        body.put("DateTimeUTC", XeroBooks.dotNet(Instant.now()));
        if (pagination != null) {
            body.put("pagination", pagination);
        }
        body.put(collection, records);
        return Response.ok(body).build();
    }

    private static Instant since(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return XeroBooks.modifiedSince(header);
        } catch (DateTimeParseException e) {
            throw new InvalidRequest("If-Modified-Since must be a date-time, e.g. 2020-02-06T12:17:43.202-08:00");
        }
    }

    private static Instant updated(Map<String, Object> record) {
        String value = String.valueOf(record.get("UpdatedDateUTC"));
        return Instant.ofEpochMilli(Long.parseLong(value.substring(6, value.indexOf('+'))));
    }

    private static Predicate<Map<String, Object>> where(String where) {
        if (where == null || where.isBlank()) {
            return record -> true;
        }
        List<String[]> clauses = new ArrayList<>();
        for (String clause : where.split("(?i)\\s+AND\\s+|&&")) {
            Matcher matcher = CLAUSE.matcher(clause);
            if (!matcher.matches()) {
                throw new InvalidRequest("The sandbox reads where clauses of the form Field==\"value\" joined by AND; "
                        + "got: " + clause.trim());
            }
            clauses.add(new String[] {matcher.group(1), matcher.group(2)});
        }
        return record -> clauses.stream().allMatch(clause -> clause[1].equals(String.valueOf(record.get(clause[0]))));
    }

    private static Integer positive(MultivaluedMap<String, String> query, String name, Integer fallback, int max) {
        String value = query.getFirst(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= 1) {
                return Math.min(number, max);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequest(name + " must be a positive integer");
    }

    /** Xero's validation error body. */
    private static Response validation(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ErrorNumber", 10);
        body.put("Type", "ValidationException");
        body.put("Message", "A validation exception occurred");
        body.put("Elements", List.of(Map.of("ValidationErrors", List.of(Map.of("Message", message)))));
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    private static Response problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Type", null);
        body.put("Title", title);
        body.put("Status", status);
        body.put("Detail", detail);
        body.put("Instance", UUID.randomUUID().toString());
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    private static final class InvalidRequest extends RuntimeException {
        InvalidRequest(String message) {
            super(message, null, false, false);
        }
    }
}
