package io.tributary.sandbox.rest;

import io.tributary.sandbox.service.Ledgers;
import io.tributary.sandbox.service.OAuthServer;
import io.tributary.sandbox.service.PayPalBooks;
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
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * PayPal's reporting and disputes APIs under {@code /paypal} (shared/providers.md 2.4): Transaction
 * Search ({@code start_date}/{@code end_date} at most 31 days apart, {@code page_size} ≤ 500, pages
 * from 1), balances, and disputes paged by {@code next_page_token} from the HATEOAS links. Errors
 * are PayPal's {@code {name, message, debug_id, details}}.
 */
@Path("/paypal/v1")
@Produces(MediaType.APPLICATION_JSON)
public class PayPalResource {

    /** RFC 3339 with seconds, as the Transaction Search spec's pattern asks. */
    private static final Pattern DATE_TIME = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$");
    private static final Duration MAX_RANGE = Duration.ofDays(31);

    private final OAuthServer oauth;
    private final PayPalBooks books;
    private final io.tributary.sandbox.service.WebhookSigner signer;

    public PayPalResource(OAuthServer oauth, PayPalBooks books, io.tributary.sandbox.service.WebhookSigner signer) {
        this.oauth = oauth;
        this.books = books;
        this.signer = signer;
    }

    /** The certificate a signed webhook's {@code PAYPAL-CERT-URL} names: public, as PayPal serves it. */
    @GET
    @Path("/notifications/certs/{certId}")
    @Produces("application/x-pem-file")
    public Response certificate(@PathParam("certId") String certId) {
        String pem = signer.paypalCertificate(certId);
        return pem == null ? Response.status(404).build() : Response.ok(pem).build();
    }

    @GET
    @Path("/reporting/transactions")
    public Response transactions(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        return withMerchant(authorization, merchant -> {
            MultivaluedMap<String, String> query = uri.getQueryParameters();
            List<Map<String, String>> issues = new ArrayList<>();
            Instant start = dateTime(query.getFirst("start_date"), "start_date", issues);
            Instant end = dateTime(query.getFirst("end_date"), "end_date", issues);
            int pageSize = number(query.getFirst("page_size"), "page_size", 100, 500, issues);
            int page = number(query.getFirst("page"), "page", 1, Integer.MAX_VALUE, issues);
            if (start != null && end != null && (end.isBefore(start) || Duration.between(start, end)
                    .compareTo(MAX_RANGE) > 0)) {
                issues.add(issue("start_date", query.getFirst("start_date"), end.isBefore(start)
                        ? "end_date must not be before start_date" : "Date range is greater than 31 days"));
            }
            if (!issues.isEmpty()) {
                return error(400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or "
                        + "violates schema.", issues);
            }
            String transactionId = query.getFirst("transaction_id");
            boolean all = "all".equals(query.getFirst("fields"));
            Ledgers.Selection selection = books.book(merchant).createdBetween(start, end.plusSeconds(1));
            List<Map<String, Object>> details = new ArrayList<>();
            long total;
            if (transactionId != null) {
                long index = books.index(merchant, transactionId);
                boolean inRange = index >= selection.from() && index < selection.to();
                total = inRange ? 1 : 0;
                if (inRange && page == 1) {
                    details.add(books.transaction(merchant, index, all));
                }
            } else {
                total = selection.size();
                for (long position = (long) (page - 1) * pageSize; position < total && details.size() < pageSize;
                        position++) {
                    details.add(books.transaction(merchant, selection.index(position), all));
                }
            }
            long pages = (total + pageSize - 1) / pageSize;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("transaction_details", details);
            body.put("account_number", merchant);
            body.put("start_date", PayPalBooks.TIME.format(start));
            body.put("end_date", PayPalBooks.TIME.format(end));
            body.put("last_refreshed_datetime", PayPalBooks.TIME.format(Instant.now().minusSeconds(60)));
            body.put("page", page);
            body.put("total_items", total);
            body.put("total_pages", pages);
            List<Map<String, String>> links = new ArrayList<>();
            links.add(link(uri.getRequestUriBuilder(), "self"));
            if (page < pages) {
                links.add(link(uri.getRequestUriBuilder().replaceQueryParam("page", page + 1), "next"));
                links.add(link(uri.getRequestUriBuilder().replaceQueryParam("page", pages), "last"));
            }
            body.put("links", links);
            return Response.ok(body).build();
        });
    }

    @GET
    @Path("/reporting/balances")
    public Response balances(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return withMerchant(authorization, merchant -> {
            String currency = books.currency(merchant);
            long seed = books.book(merchant).seed();
            BigDecimal available = BigDecimal.valueOf(Math.floorMod(seed, 2_000_000L) + 10_000, 2);
            BigDecimal withheld = BigDecimal.valueOf(Math.floorMod(seed >>> 16, 50_000L), 2);
            Map<String, Object> balance = new LinkedHashMap<>();
            balance.put("currency", currency);
            balance.put("primary", true);
            balance.put("total_balance", PayPalBooks.money(currency, available.add(withheld)));
            balance.put("available_balance", PayPalBooks.money(currency, available));
            balance.put("withheld_balance", PayPalBooks.money(currency, withheld));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("balances", List.of(balance));
            body.put("account_id", merchant);
            body.put("as_of_time", PayPalBooks.TIME.format(Instant.now()));
            body.put("last_refresh_time", PayPalBooks.TIME.format(Instant.now().minusSeconds(60)));
            return Response.ok(body).build();
        });
    }

    @GET
    @Path("/customer/disputes")
    public Response disputes(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        return withMerchant(authorization, merchant -> {
            MultivaluedMap<String, String> query = uri.getQueryParameters();
            List<Map<String, String>> issues = new ArrayList<>();
            int pageSize = number(query.getFirst("page_size"), "page_size", 10, 50, issues);
            String token = query.getFirst("next_page_token");
            long from = books.disputes(merchant) - 1;
            if (token != null) {
                from = decodeToken(merchant, token);
                if (from < 0) {
                    issues.add(issue("next_page_token", token, "Invalid next_page_token"));
                }
            }
            if (!issues.isEmpty()) {
                return error(400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or "
                        + "violates schema.", issues);
            }
            String self = uri.getBaseUriBuilder().path("paypal/v1/customer/disputes").build().toString();
            List<Map<String, Object>> items = new ArrayList<>();
            long k = from;
            for (; k >= 0 && items.size() < pageSize; k--) {
                items.add(books.dispute(merchant, k, self));
            }
            List<Map<String, String>> links = new ArrayList<>();
            links.add(link(uri.getRequestUriBuilder(), "self"));
            if (k >= 0) {
                links.add(link(uri.getRequestUriBuilder().replaceQueryParam("next_page_token", encodeToken(merchant, k)),
                        "next"));
            }
            return Response.ok(Map.of("items", items, "links", links)).build();
        });
    }

    @GET
    @Path("/customer/disputes/{id}")
    public Response dispute(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context UriInfo uri) {
        return withMerchant(authorization, merchant -> {
            long k = books.disputePosition(merchant, id);
            if (k < 0) {
                return error(404, "RESOURCE_NOT_FOUND", "The specified resource does not exist.",
                        List.of(issue("dispute_id", id, "INVALID_RESOURCE_ID")));
            }
            return Response.ok(books.dispute(merchant, k,
                    uri.getBaseUriBuilder().path("paypal/v1/customer/disputes").build().toString())).build();
        });
    }

    /** The merchant a token acts for: the user of Log in with PayPal, or the app's own merchant. */
    private Response withMerchant(String authorization, Function<String, Response> action) {
        Optional<OAuthServer.AccessToken> token = oauth.accessToken("paypal", Authorization.bearer(authorization))
                .filter(access -> !access.expired(oauth.now()));
        if (token.isEmpty()) {
            return Response.status(401).type(MediaType.APPLICATION_JSON).entity(Map.of("error", "invalid_token",
                    "error_description", "Token signature verification failed")).build();
        }
        String merchant = token.get().account() != null ? token.get().account() : appMerchant();
        return action.apply(merchant);
    }

    /** The merchant account behind the app's client credentials. */
    private String appMerchant() {
        UUID id = UUID.nameUUIDFromBytes(("paypal-merchant:" + oauth.clientId("paypal")).getBytes(StandardCharsets.UTF_8));
        String digits = Long.toString(id.getMostSignificantBits() & Long.MAX_VALUE, 36)
                + Long.toString(id.getLeastSignificantBits() & Long.MAX_VALUE, 36);
        return digits.toUpperCase(java.util.Locale.ROOT).substring(0, 13);
    }

    private String encodeToken(String merchant, long position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((merchant + ":" + position)
                .getBytes(StandardCharsets.UTF_8));
    }

    private long decodeToken(String merchant, String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!decoded.startsWith(merchant + ":")) {
                return -1;
            }
            long position = Long.parseLong(decoded.substring(merchant.length() + 1));
            return position < books.disputes(merchant) ? position : -1;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static Instant dateTime(String value, String field, List<Map<String, String>> issues) {
        if (value == null || value.isBlank()) {
            issues.add(issue(field, null, "MISSING_REQUIRED_PARAMETER"));
            return null;
        }
        if (!DATE_TIME.matcher(value).matches()) {
            issues.add(issue(field, value, "Value does not match the pattern (RFC 3339 with seconds)"));
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            issues.add(issue(field, value, "Invalid date-time"));
            return null;
        }
    }

    private static int number(String value, String field, int fallback, int max, List<Map<String, String>> issues) {
        try {
            return Params.positive(value, field, fallback, max);
        } catch (IllegalArgumentException invalid) {
            issues.add(issue(field, value, "Value must be an integer from 1 to " + max));
            return fallback;
        }
    }

    private static Map<String, String> issue(String field, String value, String issue) {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("field", field);
        if (value != null) {
            detail.put("value", value);
        }
        detail.put("location", "query");
        detail.put("issue", issue);
        return detail;
    }

    private static Map<String, String> link(UriBuilder uri, String rel) {
        return Map.of("href", uri.build().toString(), "rel", rel, "method", "GET");
    }

    /** PayPal's error body. */
    static Response error(int status, String name, String message, List<Map<String, String>> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("message", message);
        body.put("debug_id", Long.toHexString(System.nanoTime()));
        body.put("details", details);
        body.put("links", List.of());
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
