package io.tributary.bank.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.config.BankConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
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
        return send("/transactions/sync", body).map(this::page);
    }

    public Uni<Accounts> accounts(String accessToken) {
        return send("/accounts/get", new JsonObject().put("access_token", accessToken)).map(body -> {
            AccountsWire wire = bind(body, AccountsWire.class, "not an accounts/get answer");
            ItemWire item = wire.item() == null ? new ItemWire(null, null) : wire.item();
            return new Accounts(accounts(wire.accounts()), item.institutionId(), item.institutionName());
        });
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

    /** {@code /item/remove}: the Item is deleted at Plaid and its access token stops working. */
    public Uni<Void> removeItem(String accessToken) {
        return call("/item/remove", new JsonObject().put("access_token", accessToken)).replaceWithVoid();
    }

    private Uni<JsonNode> call(String path, JsonObject body) {
        return send(path, body).map(this::parse);
    }

    /** The answer's body once Plaid said 200; Plaid's error object otherwise. */
    private Uni<Buffer> send(String path, JsonObject body) {
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
                    if (response.statusCode() != 200) {
                        JsonNode json = parse(response.body());
                        throw new PlaidApiException(response.statusCode(), json.path("error_type").asText(null),
                                json.path("error_code").asText(null), json.path("error_message").asText(null));
                    }
                    return response.body();
                });
    }

    private JsonNode parse(Buffer body) {
        try {
            // from the bytes: a page of 500 transactions is ~350 KB, no need to decode it into a String first
            return body == null || body.length() == 0 ? mapper.createObjectNode() : mapper.readTree(body.getBytes());
        } catch (IOException e) {
            throw new PlaidApiException(502, "API_ERROR", "UNREADABLE_RESPONSE", "not JSON");
        }
    }

    /**
     * A {@code /transactions/sync} page bound straight from its bytes to {@link SyncWire}: a page
     * holds up to 500 transactions, and building a tree of it first cost more than the rest of the
     * page's handling in this service.
     */
    private SyncPage page(Buffer body) {
        SyncWire wire = bind(body, SyncWire.class, "not a transactions/sync page");
        List<Removed> removed = new ArrayList<>();
        listOf(wire.removed()).forEach(gone -> removed.add(new Removed(gone.transactionId(), gone.accountId())));
        return new SyncPage(accounts(wire.accounts()), transactions(wire.added()), transactions(wire.modified()),
                removed, wire.nextCursor() == null ? "" : wire.nextCursor(), Boolean.TRUE.equals(wire.hasMore()));
    }

    /** An answer bound to its wire record; one Plaid did not send in that shape is a 502, never a 500. */
    private <T> T bind(Buffer body, Class<T> type, String unreadable) {
        try {
            T wire = body == null || body.length() == 0 ? null : mapper.readValue(body.getBytes(), type);
            if (wire != null) {
                return wire;
            }
        } catch (IOException e) {
            // falls through to the same answer as an empty body
        }
        throw new PlaidApiException(502, "API_ERROR", "UNREADABLE_RESPONSE", unreadable);
    }

    private static List<Account> accounts(List<AccountWire> list) {
        List<Account> accounts = new ArrayList<>();
        listOf(list).forEach(account -> accounts.add(account.toAccount()));
        return accounts;
    }

    private static List<Transaction> transactions(List<TransactionWire> list) {
        List<Transaction> transactions = new ArrayList<>(listOf(list).size());
        for (TransactionWire t : listOf(list)) {
            if (t.date() == null) {
                throw new PlaidApiException(502, "API_ERROR", "UNREADABLE_RESPONSE", "a transaction without a date");
            }
            transactions.add(new Transaction(orEmpty(t.transactionId()), orEmpty(t.accountId()), t.amount(),
                    t.isoCurrencyCode(), t.date(), orEmpty(t.name()), t.merchantName(),
                    t.category() == null ? null : t.category().primary(), t.paymentChannel(),
                    Boolean.TRUE.equals(t.pending()), t.pendingTransactionId()));
        }
        return transactions;
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** {@code /transactions/sync}'s answer, the fields this service reads (providers.md 2.1). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SyncWire(List<AccountWire> accounts, List<TransactionWire> added, List<TransactionWire> modified,
            List<RemovedWire> removed, @JsonProperty("next_cursor") String nextCursor,
            @JsonProperty("has_more") Boolean hasMore) {
    }

    /** {@code /accounts/get}'s answer: the Item's accounts and its institution. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record AccountsWire(List<AccountWire> accounts, ItemWire item) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ItemWire(@JsonProperty("institution_id") String institutionId,
            @JsonProperty("institution_name") String institutionName) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AccountWire(@JsonProperty("account_id") String accountId, String name,
            @JsonProperty("official_name") String officialName, String mask, String type, String subtype,
            BalancesWire balances) {

        Account toAccount() {
            BalancesWire money = balances == null ? new BalancesWire(null, null, null, null) : balances;
            return new Account(orEmpty(accountId), orEmpty(name), officialName, mask, type == null ? "other" : type,
                    subtype, money.current(), money.available(), money.limit(), money.isoCurrencyCode());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BalancesWire(BigDecimal current, BigDecimal available, BigDecimal limit,
            @JsonProperty("iso_currency_code") String isoCurrencyCode) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TransactionWire(@JsonProperty("transaction_id") String transactionId,
            @JsonProperty("account_id") String accountId, BigDecimal amount,
            @JsonProperty("iso_currency_code") String isoCurrencyCode, LocalDate date, String name,
            @JsonProperty("merchant_name") String merchantName,
            @JsonProperty("personal_finance_category") CategoryWire category,
            @JsonProperty("payment_channel") String paymentChannel, Boolean pending,
            @JsonProperty("pending_transaction_id") String pendingTransactionId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CategoryWire(String primary) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RemovedWire(@JsonProperty("transaction_id") String transactionId,
            @JsonProperty("account_id") String accountId) {
    }
}
