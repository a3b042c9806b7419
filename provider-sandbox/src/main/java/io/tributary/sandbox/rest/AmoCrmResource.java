package io.tributary.sandbox.rest;

import io.tributary.sandbox.service.Ledgers;
import io.tributary.sandbox.service.OAuthServer;
import io.tributary.sandbox.service.RateWindow;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * amoCRM's API v4 on an account's domain, under {@code /amocrm/{referer}/api/v4} (shared/providers.md
 * 2.7): leads and contacts as {@code application/hal+json} with {@code _page}, {@code _links.next} and
 * {@code _embedded}, {@code page}/{@code limit} (50 by default, 250 at most), changes since
 * {@code filter[updated_at][from]} or {@code If-Modified-Since}; an empty list is 204 with no body;
 * errors are problem+json; more than 7 requests a second is a 429 without JSON.
 */
@Path("/amocrm/{referer}/api/v4")
public class AmoCrmResource {

    public static final String LEADS = "leads";
    public static final String CONTACTS = "contacts";
    private static final String HAL = "application/hal+json";
    private static final int PER_SECOND = 7;
    private static final List<String> FIRST_NAMES = List.of("Ivan", "Olga", "Sergey", "Anna", "Dmitry", "Elena");
    private static final List<String> LAST_NAMES = List.of("Petrov", "Ivanova", "Smirnov", "Kuznetsova", "Popov",
            "Sokolova");

    private final OAuthServer oauth;
    private final Ledgers ledgers;
    private final Map<String, RateWindow> perSecond = new ConcurrentHashMap<>();

    public AmoCrmResource(OAuthServer oauth, Ledgers ledgers) {
        this.oauth = oauth;
        this.ledgers = ledgers;
    }

    @GET
    @Path("/{entity: leads|contacts}")
    public Response list(@PathParam("referer") String referer, @PathParam("entity") String entity,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("If-Modified-Since") String ifModifiedSince, @Context UriInfo uri) {
        Optional<Response> refused = refuse(referer, authorization);
        if (refused.isPresent()) {
            return refused.get();
        }
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        int page;
        int limit;
        Instant since;
        try {
            page = Params.positive(query.getFirst("page"), "page", 1, Integer.MAX_VALUE);
            limit = Params.positive(query.getFirst("limit"), "limit", 50, 250);
            since = since(query.getFirst("filter[updated_at][from]"), ifModifiedSince);
        } catch (IllegalArgumentException invalid) {
            return problem(400, "Bad Request", invalid.getMessage());
        }
        Ledgers.Book book = ledgers.book("amocrm", referer, entity);
        // deleted leads and contacts are gone from the lists, as in amoCRM
        Ledgers.Selection selection = book.live(book.changedSince(since, null));
        long from = (long) (page - 1) * limit;
        if (from >= selection.size()) {
            return Response.noContent().build();
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (long position = from; position < selection.size() && records.size() < limit; position++) {
            records.add(render(referer, entity, book, selection.index(position)));
        }
        String self = uri.getBaseUriBuilder().path("amocrm").path(referer).path("api/v4").path(entity).build()
                .toString();
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", Map.of("href", self + "?page=" + page + "&limit=" + limit));
        if (from + limit < selection.size()) {
            links.put("next", Map.of("href", self + "?page=" + (page + 1) + "&limit=" + limit
                    + (since == null ? "" : "&filter%5Bupdated_at%5D%5Bfrom%5D=" + since.getEpochSecond())));
        }
        if (page > 1) {
            links.put("prev", Map.of("href", self + "?page=" + (page - 1) + "&limit=" + limit));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("_page", page);
        body.put("_links", links);
        body.put("_embedded", Map.of(entity, records));
        return Response.ok(Json.bytes(body)).type(HAL).build();
    }

    private Optional<Response> refuse(String referer, String authorization) {
        Optional<OAuthServer.AccessToken> token = oauth.accessToken("amocrm", Authorization.bearer(authorization))
                .filter(access -> !access.expired(oauth.now()));
        if (token.isEmpty() || !referer.equals(token.get().account())) {
            return Optional.of(problem(401, "Unauthorized", "Authorization failed: the token is not valid for "
                    + "this account"));
        }
        if (perSecond.computeIfAbsent(referer, key -> new RateWindow(ChronoUnit.SECONDS))
                .take(oauth.now(), PER_SECOND) < 0) {
            return Optional.of(Response.status(429).type("text/html").entity("<html><body>429 Too Many Requests"
                    + "</body></html>").build());
        }
        return Optional.empty();
    }

    private static Map<String, Object> render(String referer, String entity, Ledgers.Book book, long index) {
        Ledgers.Entry entry = book.entry(index);
        long id = (LEADS.equals(entity) ? 20_000_000L : 40_000_000L) + index + 1;
        long accountId = Math.floorMod(referer.hashCode(), 90_000_000L) + 10_000_000L;
        long responsible = 8_000_000L + entry.pick() % 5;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        if (LEADS.equals(entity)) {
            boolean closed = entry.created().isBefore(Instant.now().minus(60, ChronoUnit.DAYS));
            boolean won = closed && entry.amount() > 0;
            body.put("name", "Deal #" + (index + 1));
            body.put("price", Math.abs(entry.amount()) / 100);
            body.put("responsible_user_id", responsible);
            body.put("group_id", 0);
            // 142 won and 143 lost are amoCRM's fixed closing statuses
            body.put("status_id", !closed ? 60_000_000L + entry.pick() % 4 : won ? 142 : 143);
            body.put("pipeline_id", 6_000_000L);
            body.put("loss_reason_id", closed && !won ? 1 : null);
            body.put("created_by", responsible);
            body.put("updated_by", responsible);
            body.put("created_at", entry.created().getEpochSecond());
            body.put("updated_at", entry.updated().getEpochSecond());
            body.put("closed_at", closed ? entry.created().plus(14, ChronoUnit.DAYS).getEpochSecond() : null);
            body.put("closest_task_at", null);
            body.put("is_deleted", false);
            body.put("custom_fields_values", null);
            body.put("score", null);
            body.put("account_id", accountId);
            body.put("labor_cost", null);
        } else {
            String first = entry.choose(FIRST_NAMES);
            String last = entry.chooseAlso(LAST_NAMES);
            body.put("name", first + " " + last);
            body.put("first_name", first);
            body.put("last_name", last);
            body.put("responsible_user_id", responsible);
            body.put("group_id", 0);
            body.put("created_by", responsible);
            body.put("updated_by", responsible);
            body.put("created_at", entry.created().getEpochSecond());
            body.put("updated_at", entry.updated().getEpochSecond());
            body.put("closest_task_at", null);
            body.put("is_deleted", false);
            body.put("is_unsorted", false);
            body.put("custom_fields_values", List.of(Map.of("field_id", 1_000_001, "field_name", "Phone",
                    "field_code", "PHONE", "field_type", "multitext", "values", List.of(Map.of("value",
                            "+7 900 " + String.format("%07d", Math.floorMod(entry.salt(), 10_000_000L)),
                            "enum_code", "WORK")))));
            body.put("account_id", accountId);
        }
        body.put("_links", Map.of("self", Map.of("href", "https://" + referer + "/api/v4/" + entity + "/" + id)));
        return body;
    }

    private static Instant since(String from, String ifModifiedSince) {
        if (from != null && !from.isBlank()) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(from.trim())).minusMillis(1);
            } catch (NumberFormatException | java.time.DateTimeException e) {
                throw new IllegalArgumentException("filter[updated_at][from] must be a Unix timestamp");
            }
        }
        if (ifModifiedSince != null && !ifModifiedSince.isBlank()) {
            try {
                return io.tributary.sandbox.service.XeroBooks.modifiedSince(ifModifiedSince);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("If-Modified-Since must be a date");
            }
        }
        return null;
    }

    private static Response problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("type", "https://httpstatus.es/" + status);
        body.put("status", status);
        body.put("detail", detail);
        return Response.status(status).type("application/problem+json").entity(Json.bytes(body)).build();
    }
}
