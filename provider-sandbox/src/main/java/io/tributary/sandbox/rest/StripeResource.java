package io.tributary.sandbox.rest;

import io.tributary.sandbox.service.OAuthServer;
import io.tributary.sandbox.service.StripeLedger;
import io.tributary.sandbox.service.StripeLedger.Kind;
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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * Stripe's API v1 for a connected account under {@code /stripe/v1}: balance transactions, payouts,
 * disputes and the balance (shared/providers.md 2.3). Lists are newest first in Stripe's envelope
 * ({@code object: list, data, has_more, url}), paged by {@code starting_after}/{@code ending_before}
 * with {@code limit} 1–100 and filtered by {@code created[gt|gte|lt|lte]} in Unix seconds. The
 * caller is the account's OAuth access token, or the platform key with {@code Stripe-Account}.
 */
@Path("/stripe/v1")
@Produces(MediaType.APPLICATION_JSON)
public class StripeResource {

    private final OAuthServer oauth;
    private final StripeLedger ledger;

    public StripeResource(OAuthServer oauth, StripeLedger ledger) {
        this.oauth = oauth;
        this.ledger = ledger;
    }

    @GET
    @Path("/balance_transactions")
    public Response balanceTransactions(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Stripe-Account") String stripeAccount, @Context UriInfo uri) {
        return withAccount(authorization, stripeAccount, account -> {
            String type = uri.getQueryParameters().getFirst("type");
            String payout = uri.getQueryParameters().getFirst("payout");
            LongPredicate filter = index -> (type == null || type.equals(ledger.type(account, index)))
                    && (payout == null || payout.equals(ledger.payoutOf(account, index)));
            return list(Kind.BALANCE_TRANSACTION, account, uri.getQueryParameters(), filter);
        });
    }

    @GET
    @Path("/balance_transactions/{id}")
    public Response balanceTransaction(@PathParam("id") String id,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Stripe-Account") String stripeAccount) {
        return withAccount(authorization, stripeAccount, account -> retrieve(Kind.BALANCE_TRANSACTION, account, id));
    }

    @GET
    @Path("/payouts")
    public Response payouts(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Stripe-Account") String stripeAccount, @Context UriInfo uri) {
        return withAccount(authorization, stripeAccount, account -> {
            String status = uri.getQueryParameters().getFirst("status");
            if (status != null && !List.of("pending", "paid", "failed", "canceled").contains(status)) {
                return invalid("status", "Invalid status: must be one of pending, paid, failed, or canceled");
            }
            return list(Kind.PAYOUT, account, uri.getQueryParameters(),
                    k -> status == null || status.equals(ledger.render(Kind.PAYOUT, account, k).get("status")));
        });
    }

    @GET
    @Path("/payouts/{id}")
    public Response payout(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Stripe-Account") String stripeAccount) {
        return withAccount(authorization, stripeAccount, account -> retrieve(Kind.PAYOUT, account, id));
    }

    @GET
    @Path("/disputes")
    public Response disputes(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Stripe-Account") String stripeAccount, @Context UriInfo uri) {
        return withAccount(authorization, stripeAccount, account -> {
            String charge = uri.getQueryParameters().getFirst("charge");
            return list(Kind.DISPUTE, account, uri.getQueryParameters(),
                    k -> charge == null || charge.equals(ledger.render(Kind.DISPUTE, account, k).get("charge")));
        });
    }

    @GET
    @Path("/disputes/{id}")
    public Response dispute(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Stripe-Account") String stripeAccount) {
        return withAccount(authorization, stripeAccount, account -> retrieve(Kind.DISPUTE, account, id));
    }

    @GET
    @Path("/balance")
    public Response balance(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Stripe-Account") String stripeAccount) {
        return withAccount(authorization, stripeAccount, account -> Response.ok(ledger.balance(account)).build());
    }

    private Response retrieve(Kind kind, String account, String id) {
        long position = ledger.position(kind, account, id);
        if (position < 0 || position >= ledger.count(kind, account)) {
            return error(404, "invalid_request_error", "resource_missing", "id",
                    "No such " + kind.noun() + ": '" + id + "'");
        }
        return Response.ok(ledger.render(kind, account, position)).build();
    }

    /** One page of a list, newest first, as Stripe pages it. */
    private Response list(Kind kind, String account, MultivaluedMap<String, String> query, LongPredicate filter) {
        int limit;
        long[] range;
        try {
            limit = limit(query.getFirst("limit"));
            range = ledger.createdRange(kind, account, seconds(query, "created[gte]"), seconds(query, "created[gt]"),
                    seconds(query, "created[lte]"), seconds(query, "created[lt]"), seconds(query, "created"));
        } catch (InvalidParameter invalid) {
            return invalid(invalid.param, invalid.getMessage());
        }
        String after = query.getFirst("starting_after");
        String before = query.getFirst("ending_before");
        if (after != null && before != null) {
            return invalid("ending_before", "You may only specify one of these parameters: ending_before, "
                    + "starting_after.");
        }
        long low = range[0];
        long high = range[1];
        List<Map<String, Object>> data = new ArrayList<>();
        boolean hasMore = false;
        if (before != null) {
            long anchor = ledger.position(kind, account, before);
            if (anchor < 0 || anchor >= ledger.count(kind, account)) {
                return error(400, "invalid_request_error", "resource_missing", "ending_before",
                        "No such " + kind.noun() + ": '" + before + "'");
            }
            // the page just newer than the anchor, still listed newest first
            List<Long> found = new ArrayList<>();
            for (long k = Math.max(low, anchor + 1); k < high && found.size() <= limit; k++) {
                if (filter.test(k)) {
                    found.add(k);
                }
            }
            hasMore = found.size() > limit;
            for (int n = Math.min(limit, found.size()) - 1; n >= 0; n--) {
                data.add(ledger.render(kind, account, found.get(n)));
            }
        } else {
            long start = high - 1;
            if (after != null) {
                long anchor = ledger.position(kind, account, after);
                if (anchor < 0 || anchor >= ledger.count(kind, account)) {
                    return error(400, "invalid_request_error", "resource_missing", "starting_after",
                            "No such " + kind.noun() + ": '" + after + "'");
                }
                start = Math.min(start, anchor - 1);
            }
            for (long k = start; k >= low; k--) {
                if (filter.test(k)) {
                    if (data.size() == limit) {
                        hasMore = true;
                        break;
                    }
                    data.add(ledger.render(kind, account, k));
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        body.put("has_more", hasMore);
        body.put("url", "/v1/" + kind.path());
        return Response.ok(body).build();
    }

    private Response withAccount(String authorization, String stripeAccount, Function<String, Response> action) {
        String key = Optional.ofNullable(Authorization.bearer(authorization))
                .orElseGet(() -> Authorization.basicUser(authorization));
        if (key == null || key.isBlank()) {
            return error(401, "invalid_request_error", null, null, "You did not provide an API key. You need to "
                    + "provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: "
                    + "Bearer YOUR_SECRET_KEY').");
        }
        Optional<OAuthServer.AccessToken> connected = oauth.accessToken("stripe", key);
        String account;
        if (connected.isPresent()) {
            account = connected.get().account();
        } else if (oauth.clientSecret("stripe", key)) {
            if (stripeAccount == null) {
                return error(400, "invalid_request_error", null, null, "The sandbox serves connected accounts "
                        + "only: name one in the Stripe-Account header, or use its OAuth access token.");
            }
            account = stripeAccount;
        } else {
            return error(401, "invalid_request_error", null, null,
                    "Invalid API Key provided: " + redacted(key));
        }
        if (stripeAccount != null && !stripeAccount.equals(account) || !oauth.connected("stripe", account)) {
            return error(403, "invalid_request_error", "account_invalid", null, "The provided key '"
                    + redacted(key) + "' does not have access to account '" + stripeAccount
                    + "' (or that account does not exist). Application access may have been revoked.");
        }
        return action.apply(account);
    }

    /** Stripe shows a key's type and last four characters, never the key. */
    private static String redacted(String key) {
        int underscore = key.lastIndexOf('_');
        String prefix = underscore > 0 && underscore < 12 ? key.substring(0, underscore + 1) : "";
        return prefix + "*".repeat(4) + (key.length() > 4 ? key.substring(key.length() - 4) : "");
    }

    private static int limit(String value) {
        if (value == null) {
            return 10;
        }
        long limit = integer("limit", value);
        if (limit < 1 || limit > 100) {
            throw new InvalidParameter("limit", "This value must be greater than or equal to 1 and less than or "
                    + "equal to 100 (it currently is '" + value + "').");
        }
        return (int) limit;
    }

    private static Long seconds(MultivaluedMap<String, String> query, String name) {
        String value = query.getFirst(name);
        return value == null ? null : integer(name, value);
    }

    private static long integer(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameter(name, "Invalid integer: " + value);
        }
    }

    private static final class InvalidParameter extends RuntimeException {
        final String param;

        InvalidParameter(String param, String message) {
            super(message, null, false, false);
            this.param = param;
        }
    }

    private static Response invalid(String param, String message) {
        return error(400, "invalid_request_error", null, param, message);
    }

    /** Stripe's error body {@code {"error": {type, code?, param?, message}}}. */
    static Response error(int status, String type, String code, String param, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        if (code != null) {
            error.put("code", code);
        }
        if (param != null) {
            error.put("param", param);
        }
        error.put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", error))
                .header("Request-Id", "req_" + Long.toHexString(System.nanoTime())).build();
    }
}
