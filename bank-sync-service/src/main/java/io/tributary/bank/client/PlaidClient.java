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

/** Plaid's {@code /transactions/sync}: every call a JSON POST with the client's keys in its headers. */
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

    public Uni<SyncPage> sync(String accessToken, String cursor) {
        JsonObject body = new JsonObject().put("access_token", accessToken).put("count", config.pageSize());
        if (cursor != null && !cursor.isEmpty()) {
            body.put("cursor", cursor);
        }
        return client.postAbs(config.baseUrl().replaceAll("/+$", "") + "/transactions/sync")
                .putHeader("PLAID-CLIENT-ID", config.clientId())
                .putHeader("PLAID-SECRET", config.secret())
                .putHeader("Plaid-Version", "2020-09-14")
                .timeout(config.timeout().toMillis())
                .sendJsonObject(body)
                .map(response -> {
                    JsonNode json = parse(response.bodyAsString());
                    if (response.statusCode() != 200) {
                        throw new PlaidApiException(response.statusCode(), json.path("error_type").asText(null),
                                json.path("error_code").asText(null), json.path("error_message").asText(null));
                    }
                    return page(json);
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
        List<Account> accounts = new ArrayList<>();
        for (JsonNode account : json.path("accounts")) {
            JsonNode balances = account.path("balances");
            accounts.add(new Account(account.path("account_id").asText(), account.path("name").asText(),
                    text(account, "official_name"), text(account, "mask"), account.path("type").asText("other"),
                    text(account, "subtype"), decimal(balances, "current"), decimal(balances, "available"),
                    decimal(balances, "limit"), text(balances, "iso_currency_code")));
        }
        List<Transaction> added = transactions(json.path("added"));
        List<Transaction> modified = transactions(json.path("modified"));
        List<Removed> removed = new ArrayList<>();
        for (JsonNode gone : json.path("removed")) {
            removed.add(new Removed(gone.path("transaction_id").asText(), text(gone, "account_id")));
        }
        return new SyncPage(accounts, added, modified, removed, json.path("next_cursor").asText(""),
                json.path("has_more").asBoolean(false));
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
