package io.tributary.sandbox.rest;

import io.tributary.sandbox.service.Ledgers;
import io.tributary.sandbox.service.OAuthServer;
import io.tributary.sandbox.service.QuickBooksBooks;
import io.tributary.sandbox.service.RateWindow;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * QuickBooks Online's Accounting API under {@code /quickbooks/v3/company/{realmId}} (shared/providers.md
 * 2.5): the query language ({@code SELECT * | COUNT(*) FROM Entity [WHERE …] [ORDERBY …] [STARTPOSITION n]
 * [MAXRESULTS n]}, by GET or by POST as application/text), Change Data Capture (30 days back, 1,000
 * objects at most, deleted ones as {@code status: Deleted}), a single entity by Id, Intuit's Fault
 * envelope and the 500 requests a minute per realm.
 */
@Path("/quickbooks/v3/company/{realmId}")
@Produces(MediaType.APPLICATION_JSON)
public class QuickBooksResource {

    private static final Pattern QUERY = Pattern.compile("(?is)\\s*SELECT\\s+(\\*|COUNT\\(\\s*\\*\\s*\\))\\s+FROM\\s+"
            + "(\\w+)(?:\\s+WHERE\\s+(.+?))?(?:\\s+ORDER\\s*BY\\s+([\\w.]+)(?:\\s+(ASC|DESC))?)?"
            + "(?:\\s+STARTPOSITION\\s+(\\d+))?(?:\\s+MAXRESULTS\\s+(\\d+))?\\s*;?\\s*");
    private static final Pattern CONDITION = Pattern.compile("(?is)\\s*([\\w.]+)\\s*(>=|<=|!=|=|>|<|IN)\\s*"
            + "(?:'([^']*)'|\\(([^)]*)\\))\\s*");
    private static final int DEFAULT_MAX_RESULTS = 100;
    private static final int MAX_RESULTS = 1000;
    private static final int CDC_MAX_OBJECTS = 1000;
    private static final Duration CDC_LOOKBACK = Duration.ofDays(30);
    private static final int REALM_MINUTE_LIMIT = 500;

    private final OAuthServer oauth;
    private final QuickBooksBooks books;
    private final Map<String, RateWindow> minute = new ConcurrentHashMap<>();

    public QuickBooksResource(OAuthServer oauth, QuickBooksBooks books) {
        this.oauth = oauth;
        this.books = books;
    }

    @GET
    @Path("/query")
    public Response query(@PathParam("realmId") String realm, @QueryParam("query") String query,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return call(realm, authorization, () -> run(realm, query));
    }

    /** The same query as a body: Intuit takes {@code Content-Type: application/text}. */
    @POST
    @Path("/query")
    @Consumes({"application/text", MediaType.TEXT_PLAIN})
    public Response postedQuery(@PathParam("realmId") String realm, String query,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return call(realm, authorization, () -> run(realm, query));
    }

    @GET
    @Path("/cdc")
    public Response cdc(@PathParam("realmId") String realm, @QueryParam("entities") String entities,
            @QueryParam("changedSince") String changedSince,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return call(realm, authorization, () -> changes(realm, entities, changedSince));
    }

    @GET
    @Path("/{entity: [a-zA-Z]+}/{id: [0-9]+}")
    public Response read(@PathParam("realmId") String realm, @PathParam("entity") String entity,
            @PathParam("id") long id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return call(realm, authorization, () -> {
            String name = QuickBooksBooks.entity(entity).filter(QuickBooksBooks.TRANSACTIONS::contains)
                    .orElseThrow(() -> new Fault(400, "ValidationFault", "4000", "Unsupported Operation",
                            "The sandbox reads " + QuickBooksBooks.TRANSACTIONS + " by Id", null));
            Ledgers.Book book = books.book(realm, name);
            if (id < 1 || id > book.size() || book.entry(id - 1).deleted()) {
                throw new Fault(400, "ValidationFault", "610", "Object Not Found",
                        "Object Not Found : Something you're trying to use has been made inactive. Check the fields "
                                + "with accounts, customers, items, vendors or employees.", null);
            }
            return ok(Map.of(name, books.render(realm, name, id - 1)));
        });
    }

    private Response run(String realm, String statement) {
        if (statement == null || statement.isBlank()) {
            throw parserError("a query is required");
        }
        Matcher matcher = QUERY.matcher(statement);
        if (!matcher.matches()) {
            throw parserError("Encountered \"" + statement.trim().split("\\s+")[0] + "\": expected SELECT * | "
                    + "COUNT(*) FROM Entity [WHERE …] [ORDERBY …] [STARTPOSITION n] [MAXRESULTS n]");
        }
        String entity = QuickBooksBooks.entity(matcher.group(2)).orElseThrow(() -> new Fault(400, "ValidationFault",
                "4001", "Invalid query", "QueryValidationError: the sandbox keeps " + QuickBooksBooks.TRANSACTIONS
                        + " and Account, not " + matcher.group(2), null));
        Predicate<Map<String, Object>> where = where(matcher.group(3));
        long start;
        long maxResults;
        try {
            start = matcher.group(6) == null ? 1 : Long.parseLong(matcher.group(6));
            maxResults = matcher.group(7) == null ? DEFAULT_MAX_RESULTS : Long.parseLong(matcher.group(7));
        } catch (NumberFormatException tooLong) {
            start = -1;
            maxResults = -1;
        }
        if (start < 1 || maxResults < 1 || maxResults > MAX_RESULTS) {
            throw new Fault(400, "ValidationFault", "4001", "Invalid query", "QueryValidationError: STARTPOSITION "
                    + "starts at 1 and MAXRESULTS is from 1 to " + MAX_RESULTS, null);
        }
        boolean count = matcher.group(1).toUpperCase(Locale.ROOT).startsWith("COUNT");
        List<Map<String, Object>> rows = new ArrayList<>();
        long total = 0;
        if (QuickBooksBooks.ACCOUNT.equals(entity)) {
            List<Map<String, Object>> accounts = books.accounts(realm).stream().filter(where).toList();
            total = accounts.size();
            accounts.stream().skip(start - 1).limit(maxResults).forEach(rows::add);
        } else {
            // the book's live records in Id order; a time bound narrows the run before any is rendered
            Ledgers.Book book = books.book(realm, entity);
            Ledgers.Selection selection = book.live(book.changedSince(lowerBound(matcher.group(3)), null));
            if (matcher.group(3) == null) {
                // no condition: STARTPOSITION is a position, nothing before it is rendered
                total = selection.size();
                for (long position = start - 1; !count && position < total && rows.size() < maxResults; position++) {
                    rows.add(books.render(realm, entity, selection.index(position)));
                }
            }
            for (long position = 0; matcher.group(3) != null && position < selection.size()
                    && (count || rows.size() < maxResults); position++) {
                Map<String, Object> row = books.render(realm, entity, selection.index(position));
                if (where.test(row)) {
                    total++;
                    if (!count && total >= start) {
                        rows.add(row);
                    }
                }
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        if (count) {
            response.put("totalCount", total);
        } else if (!rows.isEmpty()) {
            response.put(entity, rows);
            response.put("startPosition", start);
            response.put("maxResults", rows.size());
        }
        return ok(Map.of("QueryResponse", response));
    }

    private Response changes(String realm, String entities, String changedSince) {
        if (entities == null || entities.isBlank() || changedSince == null || changedSince.isBlank()) {
            throw new Fault(400, "ValidationFault", "2020", "Required param missing, need to supply the required "
                    + "value for the API", "Required parameter entities and changedSince are missing in the request",
                    null);
        }
        Instant since;
        try {
            since = OffsetDateTime.parse(changedSince).toInstant();
        } catch (DateTimeParseException e) {
            throw new Fault(400, "ValidationFault", "2010", "Request has invalid or unsupported property",
                    "changedSince must be an ISO 8601 date-time with an offset", "changedSince");
        }
        if (since.isBefore(Instant.now().minus(CDC_LOOKBACK))) {
            throw new Fault(400, "ValidationFault", "2010", "Request has invalid or unsupported property",
                    "changedSince cannot be more than 30 days in the past", "changedSince");
        }
        List<Map<String, Object>> responses = new ArrayList<>();
        int left = CDC_MAX_OBJECTS;
        for (String requested : entities.split(",")) {
            String entity = QuickBooksBooks.entity(requested.trim()).filter(QuickBooksBooks.TRANSACTIONS::contains)
                    .orElseThrow(() -> new Fault(400, "ValidationFault", "2010", "Request has invalid or unsupported "
                            + "property", "The sandbox captures changes of " + QuickBooksBooks.TRANSACTIONS,
                            "entities"));
            Ledgers.Selection selection = books.book(realm, entity).changedSince(since, null);
            List<Map<String, Object>> objects = new ArrayList<>();
            for (long position = 0; position < selection.size() && left > 0; position++, left--) {
                objects.add(books.render(realm, entity, selection.index(position)));
            }
            Map<String, Object> response = new LinkedHashMap<>();
            if (!objects.isEmpty()) {
                response.put(entity, objects);
                response.put("startPosition", 1);
                response.put("maxResults", objects.size());
                response.put("totalCount", objects.size());
            }
            responses.add(response);
        }
        return ok(Map.of("CDCResponse", List.of(Map.of("QueryResponse", responses))));
    }

    /** Authenticates the realm's token and counts the call against the realm's minute. */
    private Response call(String realm, String authorization, java.util.function.Supplier<Response> action) {
        Optional<OAuthServer.AccessToken> token = oauth.accessToken("quickbooks", Authorization.bearer(authorization));
        if (token.isEmpty() || token.get().expired(oauth.now())) {
            return fault(new Fault(401, "AUTHENTICATION", "3200", "message=AuthenticationFailed; errorCode=003200; "
                    + "statusCode=401", token.isPresent() ? "Token expired" : "Token invalid", null));
        }
        if (!realm.equals(token.get().account())) {
            return fault(new Fault(403, "AuthorizationFault", "3100", "message=ApplicationAuthorizationFailed; "
                    + "errorCode=003100; statusCode=403", "The token is not authorized for this company", null));
        }
        RateWindow window = minute.computeIfAbsent(realm, key -> new RateWindow(ChronoUnit.MINUTES));
        if (window.take(oauth.now(), REALM_MINUTE_LIMIT) < 0) {
            return Response.fromResponse(fault(new Fault(429, "SERVICE", "3001", "message=ThrottleExceeded; "
                    + "errorCode=003001; statusCode=429", "The request limit was reached.", null)))
                    .header("Retry-After", window.secondsToReset(oauth.now())).build();
        }
        try {
            return action.get();
        } catch (Fault fault) {
            return fault(fault);
        }
    }

    /** The lower bound of a {@code MetaData.LastUpdatedTime >[=] '…'} condition, to skip what cannot match. */
    private static Instant lowerBound(String where) {
        if (where == null) {
            return null;
        }
        Matcher matcher = Pattern.compile("(?i)MetaData\\.LastUpdatedTime\\s*(>=|>)\\s*'([^']*)'").matcher(where);
        if (!matcher.find()) {
            return null;
        }
        Instant bound = instant(matcher.group(2));
        return ">=".equals(matcher.group(1)) ? bound.minusMillis(1) : bound;
    }

    /** {@code field op 'value'} conditions joined by AND, on Id and the MetaData times; OR is not in QBO's language. */
    private static Predicate<Map<String, Object>> where(String where) {
        if (where == null || where.isBlank()) {
            return row -> true;
        }
        if (Pattern.compile("(?i)\\sOR\\s").matcher(where).find()) {
            throw parserError("OR is not supported in QuickBooks queries");
        }
        Predicate<Map<String, Object>> all = row -> true;
        for (String condition : where.split("(?i)\\s+AND\\s+")) {
            Matcher matcher = CONDITION.matcher(condition);
            if (!matcher.matches()) {
                throw parserError("cannot read the condition: " + condition.trim());
            }
            String field = matcher.group(1);
            String operator = matcher.group(2).toUpperCase(Locale.ROOT);
            if ("Id".equalsIgnoreCase(field)) {
                List<String> values = matcher.group(4) == null ? List.of(matcher.group(3))
                        : java.util.Arrays.stream(matcher.group(4).split(",")).map(v -> v.trim().replace("'", ""))
                                .toList();
                all = all.and(switch (operator) {
                    case "=", "IN" -> row -> values.contains(String.valueOf(row.get("Id")));
                    case "!=" -> row -> !values.contains(String.valueOf(row.get("Id")));
                    default -> throw queryValidation(field + " " + operator);
                });
            } else if ("MetaData.LastUpdatedTime".equalsIgnoreCase(field) || "MetaData.CreateTime".equalsIgnoreCase(field)) {
                String key = field.substring(field.indexOf('.') + 1);
                Instant bound = instant(matcher.group(3));
                Predicate<Instant> test = switch (operator) {
                    case ">" -> time -> time.isAfter(bound);
                    case ">=" -> time -> !time.isBefore(bound);
                    case "<" -> time -> time.isBefore(bound);
                    case "<=" -> time -> !time.isAfter(bound);
                    case "=" -> time -> time.equals(bound);
                    default -> throw queryValidation(field + " " + operator);
                };
                all = all.and(row -> test.test(OffsetDateTime.parse(String.valueOf(
                        ((Map<?, ?>) row.get("MetaData")).get(key))).toInstant()));
            } else {
                throw queryValidation(field);
            }
        }
        return all;
    }

    private static Instant instant(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw parserError("not a date-time: '" + value + "'");
            }
        }
    }

    private static Fault parserError(String detail) {
        return new Fault(400, "ValidationFault", "4000", "Error parsing query", "QueryParserError: " + detail, null);
    }

    private static Fault queryValidation(String property) {
        return new Fault(400, "ValidationFault", "4001", "Invalid query", "QueryValidationError: the sandbox filters "
                + "on Id and MetaData.LastUpdatedTime/CreateTime only, not " + property, null);
    }

    private static Response ok(Map<String, Object> body) {
        Map<String, Object> answer = new LinkedHashMap<>(body);
        answer.put("time", QuickBooksBooks.time(Instant.now()));
        return Response.ok(answer).build();
    }

    /** Intuit's Fault envelope. */
    private static Response fault(Fault fault) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("Message", fault.message);
        error.put("Detail", fault.getMessage());
        error.put("code", fault.code);
        if (fault.element != null) {
            error.put("element", fault.element);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Fault", Map.of("Error", List.of(error), "type", fault.type));
        body.put("time", QuickBooksBooks.time(Instant.now()));
        return Response.status(fault.status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    private static final class Fault extends RuntimeException {
        final int status;
        final String type;
        final String code;
        final String message;
        final String element;

        Fault(int status, String type, String code, String message, String detail, String element) {
            super(detail, null, false, false);
            this.status = status;
            this.type = type;
            this.code = code;
            this.message = message;
            this.element = element;
        }
    }
}
