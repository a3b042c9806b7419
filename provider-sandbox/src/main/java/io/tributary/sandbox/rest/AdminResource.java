package io.tributary.sandbox.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.tributary.sandbox.client.WebhookSender;
import io.tributary.sandbox.service.Faults;
import io.tributary.sandbox.service.Ledgers;
import io.tributary.sandbox.service.OAuthServer;
import io.tributary.sandbox.service.PlaidItems;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The sandbox's own knobs, not a provider's API: Items with chosen volume and seed, churn that
 * changes transactions and fires the webhook, signed webhooks on demand, faults switched on and
 * off, and access tokens expired at will.
 */
@Path("/admin")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private static final Set<String> SIGNED_PROVIDERS = Set.of("stripe", "quickbooks", "xero", "paypal");
    private static final int MAX_TRANSACTIONS_PER_ACCOUNT = 10_000_000;

    private final PlaidItems items;
    private final PlaidResource plaid;
    private final WebhookSender sender;
    private final Faults faults;
    private final OAuthServer oauth;
    private final io.tributary.sandbox.service.YnabBudgets ynab;
    private final Ledgers ledgers;
    private final BookWebhooks bookWebhooks;

    public AdminResource(PlaidItems items, PlaidResource plaid, WebhookSender sender, Faults faults, OAuthServer oauth,
            io.tributary.sandbox.service.YnabBudgets ynab, Ledgers ledgers, BookWebhooks bookWebhooks) {
        this.ynab = ynab;
        this.ledgers = ledgers;
        this.bookWebhooks = bookWebhooks;
        this.items = items;
        this.plaid = plaid;
        this.sender = sender;
        this.faults = faults;
        this.oauth = oauth;
    }

    /** A Plaid Item with chosen volume: {accounts, transactionsPerAccount, seed, anchorDate, currency, webhook}. */
    @POST
    @Path("/plaid/items")
    public Map<String, Object> createItem(JsonNode body) {
        JsonNode request = object(body);
        PlaidItems.Volume defaults = items.defaultVolume();
        int accounts = integer(request, "accounts", defaults.accounts(), 1, 100);
        int perAccount = integer(request, "transactionsPerAccount", defaults.transactionsPerAccount(), 0,
                MAX_TRANSACTIONS_PER_ACCOUNT);
        long seed = request.path("seed").isMissingNode() ? defaults.seed() : longValue(request, "seed");
        LocalDate anchor = defaults.anchor();
        if (request.hasNonNull("anchorDate")) {
            try {
                anchor = LocalDate.parse(request.path("anchorDate").asText());
            } catch (DateTimeParseException e) {
                throw new BadRequestException("anchorDate must be a date (YYYY-MM-DD)");
            }
        }
        String currency = request.hasNonNull("currency") ? request.path("currency").asText() : defaults.currency();
        if (!currency.matches("[A-Z]{3}")) {
            throw new BadRequestException("currency must be three capital letters");
        }
        String institution = request.hasNonNull("institutionId") ? request.path("institutionId").asText() : "ins_109508";
        String webhook = request.hasNonNull("webhook") ? request.path("webhook").asText() : null;
        if (webhook != null && !WebhookSender.deliverable(webhook)) {
            throw new BadRequestException("webhook must be an absolute http(s) URL");
        }
        String publicToken = items.createItem(institution, new PlaidItems.Volume(accounts, perAccount, seed, anchor,
                currency), webhook);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("publicToken", publicToken);
        answer.put("accounts", accounts);
        answer.put("transactionsPerAccount", perAccount);
        answer.put("seed", seed);
        answer.put("anchorDate", anchor.toString());
        return answer;
    }

    /**
     * Changes an Item's transactions — {added, modified, removed, posted (pending → posted)} — and,
     * unless {@code fireWebhook} is false, sends it SYNC_UPDATES_AVAILABLE.
     */
    @POST
    @Path("/plaid/items/{itemId}/churn")
    public Uni<Map<String, Object>> churn(@PathParam("itemId") String itemId, JsonNode body) {
        JsonNode request = object(body);
        PlaidItems.Item item = items.byId(itemId).orElseThrow(() -> new NotFoundException("No such item"));
        if (item.accessToken() == null) {
            throw new BadRequestException("The item's public token has not been exchanged yet");
        }
        List<PlaidItems.Change> changes = items.churn(item, integer(request, "added", 0, 0, 10_000),
                integer(request, "modified", 0, 0, 10_000), integer(request, "removed", 0, 0, 10_000),
                integer(request, "posted", 0, 0, 10_000));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("added", changes.stream().filter(change -> change.added() != null).count());
        answer.put("modified", changes.stream().filter(change -> change.modified() != null).count());
        answer.put("removed", changes.stream().filter(change -> change.removed() != null).count());
        if (request.has("fireWebhook") && !request.path("fireWebhook").asBoolean(true)) {
            return Uni.createFrom().item(answer);
        }
        return plaid.sendWebhook(item, "SYNC_UPDATES_AVAILABLE").map(delivery -> {
            answer.put("webhook", Map.of("url", delivery.url(), "status", delivery.status()));
            return answer;
        });
    }

    /** Changes a YNAB budget's transactions {added, modified, deleted}; each change gets the next server knowledge. */
    @POST
    @Path("/ynab/budgets/{budgetId}/churn")
    public Map<String, Object> ynabChurn(@PathParam("budgetId") String budgetId, JsonNode body) {
        JsonNode request = object(body);
        var budget = ynab.byId(budgetId).orElseThrow(() -> new NotFoundException("No such budget"));
        var changes = ynab.churn(budget, integer(request, "added", 0, 0, 10_000),
                integer(request, "modified", 0, 0, 10_000), integer(request, "deleted", 0, 0, 10_000));
        return Map.of("changes", changes.size(), "serverKnowledge", budget.serverKnowledge());
    }

    /**
     * Sets the volume of one collection of a connected account — {records (≤ 10,000,000), seed} —
     * replacing what it held: the same seed gives the same records.
     */
    @PUT
    @Path("/books/{provider}/{account}/{collection}")
    public Map<String, Object> openBook(@PathParam("provider") String provider, @PathParam("account") String account,
            @PathParam("collection") String collection, JsonNode body) {
        JsonNode request = object(body);
        checkCollection(provider, collection);
        String key = Ledgers.key(provider, account, collection);
        long seed = request.path("seed").isMissingNode() ? key.hashCode() * 0x9E3779B97F4A7C15L
                : longValue(request, "seed");
        Ledgers.Book book = ledgers.reopen(key, integer(request, "records", 200, 0, MAX_TRANSACTIONS_PER_ACCOUNT),
                seed);
        return Map.of("book", book.key(), "records", book.size(), "seed", book.seed());
    }

    /**
     * Changes a collection — {added, modified, deleted} — each change at its own instant, and unless
     * {@code fireWebhook} is false sends the provider's signed webhook about it (Stripe, QuickBooks,
     * Xero, PayPal).
     */
    @POST
    @Path("/books/{provider}/{account}/{collection}/churn")
    public Uni<Map<String, Object>> churnBook(@PathParam("provider") String provider,
            @PathParam("account") String account, @PathParam("collection") String collection, JsonNode body) {
        JsonNode request = object(body);
        checkCollection(provider, collection);
        Ledgers.Book book = ledgers.book(provider, account, collection);
        Ledgers.Churned churned = ledgers.churn(book, integer(request, "added", 0, 0, 10_000),
                integer(request, "modified", 0, 0, 10_000), integer(request, "deleted", 0, 0, 10_000));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("added", churned.added().size());
        answer.put("modified", churned.modified().size());
        answer.put("deleted", churned.deleted().size());
        answer.put("records", book.size());
        java.util.Optional<byte[]> webhook = request.has("fireWebhook") && !request.path("fireWebhook").asBoolean(true)
                ? java.util.Optional.empty() : bookWebhooks.event(provider, account, collection, churned);
        if (webhook.isEmpty()) {
            return Uni.createFrom().item(answer);
        }
        return sender.send(provider, webhook.get(), null).map(delivery -> {
            answer.put("webhook", Map.of("url", delivery.url(), "status", delivery.status()));
            return answer;
        });
    }

    private static void checkCollection(String provider, String collection) {
        Set<String> known = BookWebhooks.COLLECTIONS.get(provider);
        if (known == null || !known.contains(collection)) {
            throw new NotFoundException("No such collection; the books are " + new java.util.TreeMap<>(
                    BookWebhooks.COLLECTIONS));
        }
    }

    /**
     * Sends a signed webhook as {@code provider} would: {eventType, account, payload (optional,
     * the exact body)}. Stripe, QuickBooks and Xero; Plaid's go through its Items.
     */
    @POST
    @Path("/webhooks/{provider}")
    public Uni<Map<String, Object>> webhook(@PathParam("provider") String provider, JsonNode body) {
        JsonNode request = body == null || body.isNull() ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                : object(body);
        if (!SIGNED_PROVIDERS.contains(provider)) {
            throw new NotFoundException("The sandbox sends signed webhooks for " + SIGNED_PROVIDERS
                    + " here; Plaid's go through /admin/plaid/items/{itemId}/churn or /plaid/sandbox/item/fire_webhook");
        }
        byte[] payload = request.hasNonNull("payload") ? Json.bytes(request.path("payload"))
                : Json.bytes(ProviderWebhooks.event(provider, text(request, "eventType"), text(request, "account")));
        return sender.send(provider, payload, null).map(delivery -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("url", delivery.url());
            answer.put("status", delivery.status());
            return answer;
        });
    }

    @GET
    @Path("/faults")
    public Map<String, Faults.Fault> faults() {
        return faults.armed();
    }

    /** Arms a fault: {type, times (default 1, -1 until cleared), skip, delayMillis, retryAfterSeconds, path}. */
    @PUT
    @Path("/faults/{provider}")
    public Faults.Fault arm(@PathParam("provider") String provider, JsonNode body) {
        JsonNode request = object(body);
        Faults.Type type;
        try {
            type = Faults.Type.valueOf(String.valueOf(text(request, "type")).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("type must be one of " + List.of(Faults.Type.values()).stream()
                    .map(value -> value.name().toLowerCase(Locale.ROOT)).toList());
        }
        Faults.Fault fault = new Faults.Fault(type, integer(request, "times", 1, -1, 1_000_000),
                integer(request, "skip", 0, 0, 1_000_000), integer(request, "delayMillis", 0, 0, 600_000),
                integer(request, "retryAfterSeconds", 1, 0, 3600), text(request, "path"));
        if (fault.times() == 0) {
            throw new BadRequestException("times must be -1 (until cleared) or at least 1");
        }
        faults.arm(provider, fault);
        return fault;
    }

    @DELETE
    @Path("/faults/{provider}")
    public Response clear(@PathParam("provider") String provider) {
        faults.clear(provider);
        return Response.noContent().build();
    }

    @DELETE
    @Path("/faults")
    public Response clearAll() {
        faults.clearAll();
        return Response.noContent().build();
    }

    /** Every expiring access token issued so far is now expired: the next API call or refresh shows it. */
    @POST
    @Path("/oauth/expire-access-tokens")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> expireAccessTokens() {
        return Map.of("expired", oauth.expireAccessTokens());
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequestException error) {
        return problem(400, "Bad request", error.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException error) {
        return problem(404, "Not found", error.getMessage());
    }

    private static Response problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return Response.status(status).type("application/problem+json").entity(body).build();
    }

    private static JsonNode object(JsonNode body) {
        if (body == null || body.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!body.isObject()) {
            throw new BadRequestException("The body must be a JSON object");
        }
        return body;
    }

    private static int integer(JsonNode request, String field, int fallback, int min, int max) {
        JsonNode value = request.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isInt() || value.asInt() < min || value.asInt() > max) {
            throw new BadRequestException(field + " must be an integer from " + min + " to " + max);
        }
        return value.asInt();
    }

    private static long longValue(JsonNode request, String field) {
        JsonNode value = request.path(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new BadRequestException(field + " must be an integer");
        }
        return value.asLong();
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    /** Event bodies in each provider's shape (shared/providers.md section 3). */
    static final class ProviderWebhooks {

        private ProviderWebhooks() {
        }

        static Object event(String provider, String eventType, String account) {
            Instant now = Instant.now();
            return switch (provider) {
                case "stripe" -> {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("id", "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
                    event.put("object", "event");
                    event.put("account", account == null ? "acct_sandbox" : account);
                    event.put("api_version", "2025-09-30.clover");
                    event.put("created", now.getEpochSecond());
                    event.put("livemode", false);
                    event.put("type", eventType == null ? "payout.paid" : eventType);
                    event.put("data", Map.of("object", Map.of("id", "po_" + now.toEpochMilli(), "object", "payout",
                            "amount", 12_500, "currency", "gbp", "status", "paid")));
                    yield event;
                }
                case "paypal" -> {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("id", "WH-" + UUID.randomUUID().toString().toUpperCase().replace("-", "").substring(0, 17));
                    event.put("event_version", "1.0");
                    event.put("create_time", now.toString());
                    event.put("resource_type", "capture");
                    event.put("event_type", eventType == null ? "PAYMENT.CAPTURE.COMPLETED" : eventType);
                    event.put("summary", "Sandbox event");
                    event.put("resource", Map.of("id", account == null ? "5O190127TN364715T" : account,
                            "status", "COMPLETED", "amount", Map.of("currency_code", "USD", "value", "12.50")));
                    event.put("links", List.of());
                    yield event;
                }
                case "quickbooks" -> Map.of("eventNotifications", List.of(Map.of(
                        "realmId", account == null ? "9130350000000000" : account,
                        "dataChangeEvent", Map.of("entities", List.of(Map.of("name",
                                eventType == null ? "Invoice" : eventType, "id", String.valueOf(now.getEpochSecond()
                                        % 100_000), "operation", "Update", "lastUpdated", now.toString()))))));
                default -> {
                    String tenant = account == null ? UUID.randomUUID().toString() : account;
                    String resource = UUID.randomUUID().toString();
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("resourceUrl", "https://api.xero.com/api.xro/2.0/Invoices/" + resource);
                    event.put("resourceId", resource);
                    event.put("eventDateUtc", now.toString());
                    event.put("eventType", eventType == null ? "UPDATE" : eventType);
                    event.put("eventCategory", "INVOICE");
                    event.put("tenantId", tenant);
                    event.put("tenantType", "ORGANISATION");
                    yield Map.of("events", List.of(event), "firstEventSequence", 1, "lastEventSequence", 1,
                            "entropy", UUID.randomUUID().toString().replace("-", "").substring(0, 20));
                }
            };
        }
    }
}
