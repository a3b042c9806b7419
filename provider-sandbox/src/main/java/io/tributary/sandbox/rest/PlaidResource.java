package io.tributary.sandbox.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.tributary.sandbox.client.WebhookSender;
import io.tributary.sandbox.config.SandboxConfig;
import io.tributary.sandbox.service.Faults;
import io.tributary.sandbox.service.PlaidError;
import io.tributary.sandbox.service.PlaidItems;
import io.tributary.sandbox.service.TransactionGenerator.Account;
import io.tributary.sandbox.service.TransactionGenerator.Transaction;
import io.tributary.sandbox.service.Tokens;
import io.tributary.sandbox.service.WebhookSigner;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plaid at its real paths under {@code /plaid} (shared/providers.md 2.1): every call a POST with
 * a JSON body, credentials in {@code PLAID-CLIENT-ID}/{@code PLAID-SECRET} or the body, errors as
 * {@code PlaidError}. Includes Plaid's own sandbox calls to make an Item without Link, fire a
 * webhook and force a re-login.
 */
@Path("/plaid")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PlaidResource {

    private final PlaidItems items;
    private final WebhookSigner signer;
    private final WebhookSender sender;
    private final Faults faults;
    private final SandboxConfig.Plaid config;

    public PlaidResource(PlaidItems items, WebhookSigner signer, WebhookSender sender, Faults faults,
            SandboxConfig config) {
        this.items = items;
        this.signer = signer;
        this.sender = sender;
        this.faults = faults;
        this.config = config.plaid();
    }

    @POST
    @Path("/link/token/create")
    public Map<String, Object> createLinkToken(@HeaderParam("PLAID-CLIENT-ID") String clientId,
            @HeaderParam("PLAID-SECRET") String secret, JsonNode body) {
        authenticate(clientId, secret, body);
        for (String field : List.of("client_name", "language", "country_codes")) {
            if (body.path(field).isMissingNode() || body.path(field).isNull()) {
                throw PlaidError.missingField(field);
            }
        }
        if (!body.path("country_codes").isArray() || body.path("country_codes").isEmpty()) {
            throw PlaidError.invalidField("country_codes must be a non-empty array");
        }
        requireDeliverable(text(body, "webhook"));
        PlaidItems.LinkToken token = items.createLinkToken(text(body, "webhook"),
                text(body.path("user"), "client_user_id"));
        Map<String, Object> answer = ok();
        answer.put("link_token", token.token());
        answer.put("expiration", token.expiration().truncatedTo(ChronoUnit.SECONDS).toString());
        return answer;
    }

    /** Plaid's sandbox shortcut past Link: an Item for an institution, and its public token. */
    @POST
    @Path("/sandbox/public_token/create")
    public Map<String, Object> createPublicToken(@HeaderParam("PLAID-CLIENT-ID") String clientId,
            @HeaderParam("PLAID-SECRET") String secret, JsonNode body) {
        authenticate(clientId, secret, body);
        String institution = text(body, "institution_id");
        if (institution == null) {
            throw PlaidError.missingField("institution_id");
        }
        if (!body.path("initial_products").isArray()) {
            throw PlaidError.missingField("initial_products");
        }
        requireDeliverable(text(body.path("options"), "webhook"));
        Map<String, Object> answer = ok();
        answer.put("public_token", items.createItem(institution, items.defaultVolume(),
                text(body.path("options"), "webhook")));
        return answer;
    }

    @POST
    @Path("/item/public_token/exchange")
    public Map<String, Object> exchange(@HeaderParam("PLAID-CLIENT-ID") String clientId,
            @HeaderParam("PLAID-SECRET") String secret, JsonNode body) {
        authenticate(clientId, secret, body);
        String publicToken = text(body, "public_token");
        if (publicToken == null) {
            throw PlaidError.missingField("public_token");
        }
        PlaidItems.Item item = items.exchange(publicToken);
        Map<String, Object> answer = ok();
        answer.put("access_token", item.accessToken());
        answer.put("item_id", item.itemId());
        return answer;
    }

    @POST
    @Path("/accounts/get")
    public Map<String, Object> accounts(@HeaderParam("PLAID-CLIENT-ID") String clientId,
            @HeaderParam("PLAID-SECRET") String secret, JsonNode body) {
        PlaidItems.Item item = usableItem(clientId, secret, body, "/plaid/accounts/get");
        Map<String, Object> answer = ok();
        answer.put("accounts", items.accounts(item).stream().map(PlaidResource::account).toList());
        answer.put("item", item(item));
        return answer;
    }

    @POST
    @Path("/accounts/balance/get")
    public Map<String, Object> balances(@HeaderParam("PLAID-CLIENT-ID") String clientId,
            @HeaderParam("PLAID-SECRET") String secret, JsonNode body) {
        PlaidItems.Item item = usableItem(clientId, secret, body, "/plaid/accounts/balance/get");
        Map<String, Object> answer = ok();
        answer.put("accounts", items.accounts(item).stream().map(PlaidResource::account).toList());
        answer.put("item", item(item));
        return answer;
    }

    @POST
    @Path("/transactions/sync")
    public Map<String, Object> sync(@HeaderParam("PLAID-CLIENT-ID") String clientId,
            @HeaderParam("PLAID-SECRET") String secret, JsonNode body) {
        PlaidItems.Item item = usableItem(clientId, secret, body, "/plaid/transactions/sync");
        JsonNode cursorNode = body.path("cursor");
        if (!cursorNode.isMissingNode() && !cursorNode.isNull() && !cursorNode.isTextual()) {
            throw PlaidError.invalidField("cursor must be a string");
        }
        String cursor = cursorNode.isTextual() ? cursorNode.asText() : null;
        if (cursor != null && cursor.length() > 256) {
            throw PlaidError.invalidField("cursor must be at most 256 characters");
        }
        JsonNode countNode = body.path("count");
        int count = 100;
        if (!countNode.isMissingNode() && !countNode.isNull()) {
            if (!countNode.isInt() || countNode.asInt() < 1 || countNode.asInt() > 500) {
                throw PlaidError.invalidField("count must be an integer between 1 and 500");
            }
            count = countNode.asInt();
        }
        if (items.midRun(item, cursor) && faults.take("plaid", "/plaid/transactions/sync",
                List.of(Faults.Type.MUTATION_DURING_PAGINATION)).isPresent()) {
            throw PlaidError.mutationDuringPagination();
        }
        PlaidItems.SyncPage page = items.sync(item, cursor, count);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accounts", page.accounts().stream().map(PlaidResource::account).toList());
        answer.put("added", page.added().stream().map(PlaidResource::transaction).toList());
        answer.put("modified", page.modified().stream().map(PlaidResource::transaction).toList());
        answer.put("removed", page.removed().stream()
                .map(removed -> Map.of("transaction_id", removed.transactionId(), "account_id", removed.accountId()))
                .toList());
        answer.put("next_cursor", page.nextCursor());
        answer.put("has_more", page.hasMore());
        answer.put("transactions_update_status", "HISTORICAL_UPDATE_COMPLETE");
        answer.put("request_id", requestId());
        return answer;
    }

    @POST
    @Path("/item/remove")
    public Map<String, Object> remove(@HeaderParam("PLAID-CLIENT-ID") String clientId,
            @HeaderParam("PLAID-SECRET") String secret, JsonNode body) {
        authenticate(clientId, secret, body);
        items.remove(items.byAccessToken(text(body, "access_token")));
        return ok();
    }

    @POST
    @Path("/webhook_verification_key/get")
    public Map<String, Object> verificationKey(@HeaderParam("PLAID-CLIENT-ID") String clientId,
            @HeaderParam("PLAID-SECRET") String secret, JsonNode body) {
        authenticate(clientId, secret, body);
        String keyId = text(body, "key_id");
        if (keyId == null) {
            throw PlaidError.missingField("key_id");
        }
        Map<String, Object> key = signer.plaidVerificationKey(keyId);
        if (key == null) {
            throw new PlaidError(400, "INVALID_INPUT", "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
                    "invalid key_id provided. note that key_ids are specific to Plaid environments", null);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("key", key);
        answer.put("request_id", requestId());
        return answer;
    }

    /** Plaid's sandbox call: sends the Item a webhook (SYNC_UPDATES_AVAILABLE by default), signed. */
    @POST
    @Path("/sandbox/item/fire_webhook")
    public Uni<Map<String, Object>> fireWebhook(@HeaderParam("PLAID-CLIENT-ID") String clientId,
            @HeaderParam("PLAID-SECRET") String secret, JsonNode body) {
        authenticate(clientId, secret, body);
        PlaidItems.Item item = items.byAccessToken(text(body, "access_token"));
        String code = text(body, "webhook_code") == null ? "SYNC_UPDATES_AVAILABLE" : text(body, "webhook_code");
        return sendWebhook(item, code).map(delivery -> {
            Map<String, Object> answer = ok();
            answer.put("webhook_fired", delivery.status() / 100 == 2);
            return answer;
        });
    }

    /** Plaid's sandbox call: the Item now needs its user to log in again (ITEM_LOGIN_REQUIRED). */
    @POST
    @Path("/sandbox/item/reset_login")
    public Map<String, Object> resetLogin(@HeaderParam("PLAID-CLIENT-ID") String clientId,
            @HeaderParam("PLAID-SECRET") String secret, JsonNode body) {
        authenticate(clientId, secret, body);
        items.requireLogin(items.byAccessToken(text(body, "access_token")), true);
        Map<String, Object> answer = ok();
        answer.put("reset_login", true);
        return answer;
    }

    /** Posts an Item's webhook, signed as Plaid signs, to the URL it registered (or the configured receiver). */
    public Uni<WebhookSender.Delivery> sendWebhook(PlaidItems.Item item, String code) {
        Map<String, Object> webhook = new LinkedHashMap<>();
        switch (code) {
            case "SYNC_UPDATES_AVAILABLE" -> {
                webhook.put("webhook_type", "TRANSACTIONS");
                webhook.put("webhook_code", code);
                webhook.put("item_id", item.itemId());
                webhook.put("initial_update_complete", true);
                webhook.put("historical_update_complete", true);
            }
            case "ITEM_LOGIN_REQUIRED", "ERROR" -> {
                webhook.put("webhook_type", "ITEM");
                webhook.put("webhook_code", "ERROR");
                webhook.put("item_id", item.itemId());
                PlaidError error = PlaidError.itemLoginRequired();
                Map<String, Object> body = error(error);
                body.put("status", error.status());
                webhook.put("error", body);
            }
            case "PENDING_EXPIRATION" -> {
                webhook.put("webhook_type", "ITEM");
                webhook.put("webhook_code", code);
                webhook.put("item_id", item.itemId());
                webhook.put("consent_expiration_time", Instant.now().plus(7, ChronoUnit.DAYS)
                        .truncatedTo(ChronoUnit.MILLIS).toString());
            }
            case "USER_PERMISSION_REVOKED", "LOGIN_REPAIRED", "NEW_ACCOUNTS_AVAILABLE" -> {
                webhook.put("webhook_type", "ITEM");
                webhook.put("webhook_code", code);
                webhook.put("item_id", item.itemId());
            }
            default -> throw PlaidError.invalidField("webhook_code " + code + " is not supported by the sandbox");
        }
        webhook.put("environment", "sandbox");
        byte[] body = Json.bytes(webhook);
        return sender.send("plaid", body, item.webhook());
    }

    private static void requireDeliverable(String webhook) {
        if (webhook != null && !WebhookSender.deliverable(webhook)) {
            throw PlaidError.invalidField("webhook must be a valid URL");
        }
    }

    private PlaidItems.Item usableItem(String clientId, String secret, JsonNode body, String path) {
        authenticate(clientId, secret, body);
        PlaidItems.Item item = items.usable(text(body, "access_token"));
        if (faults.take("plaid", path, List.of(Faults.Type.ITEM_LOGIN_REQUIRED)).isPresent()) {
            throw PlaidError.itemLoginRequired();
        }
        return item;
    }

    private void authenticate(String clientId, String secret, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new PlaidError(400, "INVALID_REQUEST", "INVALID_BODY",
                    "body could not be parsed as JSON", null);
        }
        String id = clientId != null ? clientId : text(body, "client_id");
        String key = secret != null ? secret : text(body, "secret");
        if (id == null || key == null) {
            throw PlaidError.missingField(id == null ? "client_id" : "secret");
        }
        if (!java.security.MessageDigest.isEqual(id.getBytes(StandardCharsets.UTF_8),
                config.clientId().getBytes(StandardCharsets.UTF_8))
                || !java.security.MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                        config.secret().getBytes(StandardCharsets.UTF_8))) {
            throw new PlaidError(400, "INVALID_INPUT", "INVALID_API_KEYS",
                    "invalid client_id or secret provided", null);
        }
    }

    @ServerExceptionMapper
    public Response plaidError(PlaidError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON).entity(error(error)).build();
    }

    static Map<String, Object> error(PlaidError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_type", error.errorType());
        body.put("error_code", error.errorCode());
        body.put("error_message", error.getMessage());
        body.put("display_message", error.displayMessage());
        body.put("request_id", requestId());
        return body;
    }

    private static Map<String, Object> ok() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("request_id", requestId());
        return answer;
    }

    static String requestId() {
        return Tokens.opaque("", 11).replace('-', 'Q').replace('_', 'z');
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.path(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static Map<String, Object> item(PlaidItems.Item item) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("item_id", item.itemId());
        body.put("institution_id", item.institutionId());
        body.put("webhook", item.webhook() == null ? "" : item.webhook());
        body.put("error", null);
        body.put("available_products", List.of("balance", "identity"));
        body.put("billed_products", List.of("transactions"));
        body.put("consent_expiration_time", null);
        body.put("update_type", "background");
        return body;
    }

    static Map<String, Object> account(Account account) {
        Map<String, Object> balances = new LinkedHashMap<>();
        balances.put("available", account.available());
        balances.put("current", account.current());
        balances.put("limit", account.limit());
        balances.put("iso_currency_code", account.currency());
        balances.put("unofficial_currency_code", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account_id", account.accountId());
        body.put("balances", balances);
        body.put("mask", account.mask());
        body.put("name", account.name());
        body.put("official_name", account.officialName());
        body.put("type", account.type());
        body.put("subtype", account.subtype());
        body.put("verification_status", null);
        return body;
    }

    static Map<String, Object> transaction(Transaction transaction) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account_id", transaction.accountId());
        body.put("amount", transaction.amount());
        body.put("iso_currency_code", transaction.currency());
        body.put("unofficial_currency_code", null);
        body.put("date", transaction.date().toString());
        body.put("datetime", null);
        body.put("authorized_date", transaction.date().toString());
        body.put("authorized_datetime", null);
        body.put("name", transaction.name());
        body.put("merchant_name", transaction.merchantName());
        body.put("pending", transaction.pending());
        body.put("pending_transaction_id", transaction.pendingTransactionId());
        body.put("account_owner", null);
        body.put("transaction_id", transaction.transactionId());
        body.put("payment_channel", transaction.paymentChannel());
        body.put("personal_finance_category", Map.of("primary", transaction.primaryCategory(),
                "detailed", transaction.detailedCategory(), "confidence_level", "VERY_HIGH"));
        body.put("transaction_code", null);
        body.put("logo_url", null);
        body.put("website", null);
        body.put("counterparties", List.of());
        return body;
    }
}
