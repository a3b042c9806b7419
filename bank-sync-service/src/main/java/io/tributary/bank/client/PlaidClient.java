package io.tributary.bank.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.config.BankConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Plaid (shared/providers.md 2.1): {@code /transactions/sync}, {@code /accounts/get} and the Link
 * token calls; every call a JSON POST with the client's keys in its headers. Plaid's error object
 * becomes a {@link PlaidApiException}, whose message is Plaid's and never holds a token.
 */
@ApplicationScoped
public class PlaidClient {

    private final BankConfig.Plaid config;
    private final WebClient client;
    private final ObjectMapper mapper;

    public PlaidClient(BankConfig config, Vertx vertx, ObjectMapper mapper) {
        this.config = config.plaid();
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000));
        this.mapper = mapper;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public record Account(String accountId, String name, String officialName, String mask, String type,
            String subtype, BigDecimal current, BigDecimal available, BigDecimal limit, String currency) {
    }

    public record Transaction(String transactionId, String accountId, BigDecimal amount, String currency,
            LocalDate date, String name, String merchantName, String category, String paymentChannel,
            boolean pending, String pendingTransactionId) {
    }

    public record Removed(String transactionId, String accountId) {
    }

    public record SyncPage(List<Account> accounts, List<Transaction> added, List<Transaction> modified,
            List<Removed> removed, String nextCursor, boolean hasMore) {
    }

    /** A Link token for the user's browser; {@code expiration} as Plaid gives it. */
    public record LinkToken(String linkToken, String expiration) {
    }

    /** The Item a public token was exchanged for; {@code toString} never shows the access token. */
    public record Exchange(String accessToken, String itemId) {

        @Override
        public String toString() {
            return "Exchange[" + itemId + "]";
        }
    }

    /** The accounts of an Item and its institution, from {@code /accounts/get}. */
    public record Accounts(List<Account> accounts, String institutionId, String institutionName) {
    }

    public Uni<SyncPage> sync(String accessToken, String cursor) {
        JsonObject body = new JsonObject().put("access_token", accessToken).put("count", config.pageSize());
        if (cursor != null && !cursor.isEmpty()) {
            body.put("cursor", cursor);
        }
        return call("/transactions/sync", body).map(PlaidClient::page);
    }

    public Uni<Accounts> accounts(String accessToken) {
        return call("/accounts/get", new JsonObject().put("access_token", accessToken))
                .map(json -> new Accounts(accounts(json.path("accounts")), text(json.path("item"), "institution_id"),
                        text(json.path("item"), "institution_name")));
    }

    /**
     * {@code /link/token/create} for the transactions product. With {@code accessToken} it opens Link
     * in update mode for an Item that needs its login repaired (no products then).
     */
    public Uni<LinkToken> linkToken(String clientUserId, String accessToken) {
        JsonObject body = new JsonObject().put("client_name", config.clientName()).put("language", config.language())
                .put("country_codes", new io.vertx.core.json.JsonArray(config.countryCodes()))
                .put("user", new JsonObject().put("client_user_id", clientUserId));
        if (accessToken == null) {
            body.put("products", new io.vertx.core.json.JsonArray().add("transactions"));
        } else {
            body.put("access_token", accessToken);
        }
        String webhook = config.webhookUrl().orElse(null);
        String redirectUri = config.redirectUri().orElse(null);
        if (webhook != null && !webhook.isBlank()) {
            body.put("webhook", webhook);
        }
        if (redirectUri != null && !redirectUri.isBlank()) {
            body.put("redirect_uri", redirectUri);
        }
        return call("/link/token/create", body)
                .map(json -> new LinkToken(json.path("link_token").asText(), json.path("expiration").asText(null)));
    }

    public Uni<Exchange> exchange(String publicToken) {
        return call("/item/public_token/exchange", new JsonObject().put("public_token", publicToken))
                .map(json -> new Exchange(json.path("access_token").asText(), json.path("item_id").asText()));
    }

    private Uni<JsonNode> call(String path, JsonObject body) {
        return client.postAbs(config.baseUrl().replaceAll("/+$", "") + path)
                .putHeader("PLAID-CLIENT-ID", config.clientId())
                .putHeader("PLAID-SECRET", config.secret())
                .putHeader("Plaid-Version", "2020-09-14")
                .timeout(config.timeout().toMillis())
                .sendJsonObject(body)
                .onFailure(failure -> !(failure instanceof PlaidApiException))
                .transform(failure -> new PlaidApiException(503, "API_ERROR", "UNREACHABLE",
                        "Plaid did not answer: " + failure.getClass().getSimpleName()))
                .map(response -> {
                    JsonNode json = parse(response.bodyAsString());
                    if (response.statusCode() != 200) {
                        throw new PlaidApiException(response.statusCode(), json.path("error_type").asText(null),
                                json.path("error_code").asText(null), json.path("error_message").asText(null));
                    }
                    return json;
                });
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (IOException e) {
            throw new PlaidApiException(502, "API_ERROR", "UNREADABLE_RESPONSE", "not JSON");
        }
    }

    private static SyncPage page(JsonNode json) {
        List<Account> accounts = accounts(json.path("accounts"));
        List<Transaction> added = transactions(json.path("added"));
        List<Transaction> modified = transactions(json.path("modified"));
        List<Removed> removed = new ArrayList<>();
        for (JsonNode gone : json.path("removed")) {
            removed.add(new Removed(gone.path("transaction_id").asText(), text(gone, "account_id")));
        }
        return new SyncPage(accounts, added, modified, removed, json.path("next_cursor").asText(""),
                json.path("has_more").asBoolean(false));
    }

    private static List<Account> accounts(JsonNode list) {
        List<Account> accounts = new ArrayList<>();
        for (JsonNode account : list) {
            JsonNode balances = account.path("balances");
            accounts.add(new Account(account.path("account_id").asText(), account.path("name").asText(),
                    text(account, "official_name"), text(account, "mask"), account.path("type").asText("other"),
                    text(account, "subtype"), decimal(balances, "current"), decimal(balances, "available"),
                    decimal(balances, "limit"), text(balances, "iso_currency_code")));
        }
        return accounts;
    }

    private static List<Transaction> transactions(JsonNode list) {
        List<Transaction> transactions = new ArrayList<>();
        for (JsonNode t : list) {
            transactions.add(new Transaction(t.path("transaction_id").asText(), t.path("account_id").asText(),
                    decimal(t, "amount"), text(t, "iso_currency_code"), LocalDate.parse(t.path("date").asText()),
                    t.path("name").asText(), text(t, "merchant_name"),
                    text(t.path("personal_finance_category"), "primary"), text(t, "payment_channel"),
                    t.path("pending").asBoolean(false), text(t, "pending_transaction_id")));
        }
        return transactions;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.decimalValue() : null;
    }
}
