package io.tributary.bank.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.config.BankConfig;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * YNAB API v1: accounts and transactions of the user's last-used budget, transactions as deltas
 * since {@code last_knowledge_of_server}. Amounts are milliunits, negative for money out; they come
 * out here in the bank schema's convention (money out positive).
 */
@ApplicationScoped
public class YnabClient {

    private static final BigDecimal MILLI = BigDecimal.valueOf(1000);

    private final BankConfig.Ynab config;
    private final WebClient client;
    private final ObjectMapper mapper;

    public YnabClient(BankConfig config, Vertx vertx, ObjectMapper mapper) {
        this.config = config.ynab();
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000));
        this.mapper = mapper;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** {@code balance} as YNAB shows it (negative on a card is what is owed). */
    public record Account(String id, String name, String type, BigDecimal balance, boolean closed, boolean deleted) {
    }

    public record Transaction(String id, String accountId, LocalDate date, BigDecimal amount, String payee,
            String category, String memo, boolean uncleared, boolean deleted) {
    }

    public record Delta(List<Transaction> transactions, long serverKnowledge) {
    }

    public Uni<List<Account>> accounts(String token) {
        return get("/budgets/" + config.budget() + "/accounts", token).map(json -> {
            List<Account> accounts = new ArrayList<>();
            for (JsonNode account : json.path("data").path("accounts")) {
                accounts.add(new Account(account.path("id").asText(), account.path("name").asText("Account"),
                        account.path("type").asText("otherAsset"),
                        BigDecimal.valueOf(account.path("balance").asLong()).divide(MILLI),
                        account.path("closed").asBoolean(false), account.path("deleted").asBoolean(false)));
            }
            return accounts;
        });
    }

    /**
     * The budget's currency, from its settings' {@code currency_format.iso_code}: a YNAB budget
     * keeps all its accounts in one currency, and names it nowhere else.
     */
    public Uni<String> currency(String token) {
        return get("/budgets/" + config.budget() + "/settings", token).map(json -> {
            String code = json.path("data").path("settings").path("currency_format").path("iso_code").asText("");
            if (!code.matches("[A-Z]{3}")) {
                throw new ProviderApiException(502, "unreadable_settings", null,
                        "the budget's settings name no ISO currency", null);
            }
            return code;
        });
    }

    /** Every transaction changed since {@code knowledge} (all of them from 0), and the knowledge to ask from next. */
    public Uni<Delta> transactions(String token, long knowledge) {
        return get("/budgets/" + config.budget() + "/transactions?last_knowledge_of_server=" + knowledge, token)
                .map(json -> {
                    List<Transaction> transactions = new ArrayList<>();
                    for (JsonNode t : json.path("data").path("transactions")) {
                        transactions.add(new Transaction(t.path("id").asText(), t.path("account_id").asText(),
                                LocalDate.parse(t.path("date").asText()),
                                BigDecimal.valueOf(t.path("amount").asLong()).divide(MILLI).negate(),
                                text(t, "payee_name"), text(t, "category_name"), text(t, "memo"),
                                "uncleared".equals(t.path("cleared").asText()), t.path("deleted").asBoolean(false)));
                    }
                    return new Delta(transactions, json.path("data").path("server_knowledge").asLong(knowledge));
                });
    }

    private Uni<JsonNode> get(String path, String token) {
        return client.getAbs(config.baseUrl().replaceAll("/+$", "") + path)
                .bearerTokenAuthentication(token)
                .putHeader("Accept", "application/json")
                .timeout(config.timeout().toMillis())
                .send()
                .onFailure(failure -> !(failure instanceof ProviderApiException))
                .transform(failure -> new ProviderApiException(0, "Unreachable", null,
                        "YNAB did not answer: " + failure.getClass().getSimpleName(), null))
                .map(this::body);
    }

    /** YNAB's error object {@code {"error":{"id","name","detail"}}}. */
    private JsonNode body(HttpResponse<Buffer> response) {
        return ProviderApiException.bodyOf(response, mapper, json -> new ProviderApiException.ErrorFields(
                json.path("error").path("id").asText(null), json.path("error").path("name").asText(null),
                json.path("error").path("detail").asText(null)));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
