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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * UK Open Banking Account and Transaction API v3.1 (shared/providers.md 2.2), one implementation for
 * every ASPSP: the bank's base URL plus {@code /open-banking/v3.1/aisp}. Pages are followed by
 * {@code Links.Next} verbatim; the sign of an amount comes from {@code CreditDebitIndicator}.
 */
@ApplicationScoped
public class OpenBankingClient {

    private static final String PREFIX = "/open-banking/v3.1/aisp";

    private final BankConfig.OpenBanking config;
    private final WebClient client;
    private final ObjectMapper mapper;

    public OpenBankingClient(BankConfig config, Vertx vertx, ObjectMapper mapper) {
        this.config = config.openBanking();
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000));
        this.mapper = mapper;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public record Account(String accountId, String name, String subType, String currency, String maskedNumber) {
    }

    /** A balance signed by its indicator (negative when Debit). */
    public record Balance(String accountId, String type, BigDecimal amount, String currency) {
    }

    /** {@code amount} in the bank schema's convention: money out positive. */
    public record Transaction(String transactionId, String accountId, BigDecimal amount, String currency,
            LocalDate bookedOn, String description, String merchant, boolean pending) {
    }

    public record TransactionPage(List<Transaction> transactions, String next) {
    }

    public boolean knows(String bank) {
        return config.baseUrls().containsKey(bank);
    }

    public Uni<List<Account>> accounts(String bank, String token) {
        return get(url(bank, "/accounts"), token).map(json -> {
            List<Account> accounts = new ArrayList<>();
            for (JsonNode account : json.path("Data").path("Account")) {
                JsonNode identification = account.path("Account").path(0);
                String number = identification.path("Identification").asText("");
                accounts.add(new Account(account.path("AccountId").asText(), firstText(account, "Nickname",
                        "Description", identification.path("Name").asText(null), "Account"),
                        account.path("AccountSubType").asText("Other"), account.path("Currency").asText("GBP"),
                        number.length() >= 4 ? number.substring(number.length() - 4) : null));
            }
            return accounts;
        });
    }

    public Uni<List<Balance>> balances(String bank, String token, String accountId) {
        return get(url(bank, "/accounts/" + encode(accountId) + "/balances"), token).map(json -> {
            List<Balance> balances = new ArrayList<>();
            for (JsonNode balance : json.path("Data").path("Balance")) {
                BigDecimal amount = new BigDecimal(balance.path("Amount").path("Amount").asText("0"));
                balances.add(new Balance(balance.path("AccountId").asText(), balance.path("Type").asText(),
                        "Debit".equals(balance.path("CreditDebitIndicator").asText()) ? amount.negate() : amount,
                        balance.path("Amount").path("Currency").asText("GBP")));
            }
            return balances;
        });
    }

    /** The first page from {@code from}, or the page at {@code next} (a {@code Links.Next} URL). */
    public Uni<TransactionPage> transactions(String bank, String token, String accountId, LocalDate from,
            String next) {
        String url = next != null ? next : url(bank, "/accounts/" + encode(accountId) + "/transactions"
                + (from == null ? "" : "?fromBookingDateTime=" + encode(from + "T00:00:00")));
        return get(url, token).map(json -> {
            List<Transaction> transactions = new ArrayList<>();
            for (JsonNode transaction : json.path("Data").path("Transaction")) {
                if ("Rejected".equals(transaction.path("Status").asText())) {
                    continue;
                }
                transactions.add(transaction(transaction));
            }
            String following = json.path("Links").path("Next").asText(null);
            return new TransactionPage(transactions, following == null || following.isBlank() ? null : following);
        });
    }

    private Transaction transaction(JsonNode transaction) {
        BigDecimal amount = new BigDecimal(transaction.path("Amount").path("Amount").asText("0"));
        boolean credit = "Credit".equals(transaction.path("CreditDebitIndicator").asText());
        LocalDate booked = bookingDate(transaction.path("BookingDateTime").asText(""));
        String information = firstText(transaction, "TransactionInformation", "TransactionReference", null,
                "(no description)");
        // TransactionId is optional in the spec; without it the booking's own fields identify it
        String id = transaction.path("TransactionId").asText(null);
        if (id == null || id.isBlank()) {
            id = "ob-" + UUID.nameUUIDFromBytes((transaction.path("AccountId").asText() + "|" + booked + "|" + amount
                    + "|" + credit + "|" + information).getBytes(StandardCharsets.UTF_8));
        }
        return new Transaction(id, transaction.path("AccountId").asText(), credit ? amount.negate() : amount,
                transaction.path("Amount").path("Currency").asText("GBP"), booked, information,
                transaction.path("MerchantDetails").path("MerchantName").asText(null),
                "Pending".equals(transaction.path("Status").asText()));
    }

    private static LocalDate bookingDate(String text) {
        try {
            return OffsetDateTime.parse(text).toLocalDate();
        } catch (DateTimeParseException e) {
            return LocalDate.parse(text.length() >= 10 ? text.substring(0, 10) : text);
        }
    }

    private String url(String bank, String path) {
        String base = config.baseUrls().get(bank);
        if (base == null) {
            throw new ProviderApiException(0, "NotConfigured", null, "no base URL is configured for " + bank, null);
        }
        return base.replaceAll("/+$", "") + PREFIX + path;
    }

    private Uni<JsonNode> get(String url, String token) {
        return client.getAbs(url)
                .bearerTokenAuthentication(token)
                .putHeader("x-fapi-interaction-id", UUID.randomUUID().toString())
                .putHeader("Accept", "application/json")
                .timeout(config.timeout().toMillis())
                .send()
                .onFailure(failure -> !(failure instanceof ProviderApiException))
                .transform(failure -> new ProviderApiException(0, "Unreachable", null,
                        "the bank did not answer: " + failure.getClass().getSimpleName(), null))
                .map(this::body);
    }

    private JsonNode body(HttpResponse<Buffer> response) {
        return ProviderApiException.bodyOf(response, mapper, json -> new ProviderApiException.ErrorFields(
                json.path("Code").asText(null), json.path("Errors").path(0).path("ErrorCode").asText(null),
                json.path("Message").asText(null)));
    }

    private static String firstText(JsonNode node, String first, String second, String third, String fallback) {
        for (String field : new String[] {first, second}) {
            String value = node.path(field).asText(null);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return third != null && !third.isBlank() ? third : fallback;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
