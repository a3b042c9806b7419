package io.tributary.sandbox.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.sandbox.config.SandboxConfig;
import io.tributary.sandbox.service.OAuthServer;
import io.tributary.sandbox.service.OpenBankingConsents;
import io.tributary.sandbox.service.OpenBankingConsents.Consent;
import io.tributary.sandbox.service.TransactionGenerator;
import io.tributary.sandbox.service.TransactionGenerator.Account;
import io.tributary.sandbox.service.TransactionGenerator.Transaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * UK Open Banking AIS v3.1 (providers.md 2.2) for HSBC, Barclays, Lloyds and Santander: one
 * implementation under each bank's prefix. Consents with the TPP's client-credentials token;
 * accounts, balances and transactions with the user's token for an authorised consent.
 * Transactions page by {@code Links.Next}, and consecutive pages share a record (the spec allows
 * it, so clients must de-duplicate). {@code x-fapi-interaction-id} is echoed on every answer.
 */
@Path("/{bank: hsbc|barclays|lloyds|santander}/open-banking/v3.1/aisp")
@Produces(MediaType.APPLICATION_JSON)
public class OpenBankingResource {

    private static final String INTERACTION = "x-fapi-interaction-id";

    private final OAuthServer oauth;
    private final OpenBankingConsents consents;
    private final SandboxConfig.OpenBanking config;

    public OpenBankingResource(OAuthServer oauth, OpenBankingConsents consents, SandboxConfig config) {
        this.oauth = oauth;
        this.consents = consents;
        this.config = config.openBanking();
    }

    @POST
    @Path("/account-access-consents")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createConsent(@PathParam("bank") String bank, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(INTERACTION) String interaction, @Context UriInfo uri, JsonNode body) {
        String id = interaction(interaction);
        if (tppToken(bank, authorization).isEmpty()) {
            return unauthorized(id);
        }
        JsonNode permissions = body == null ? null : body.path("Data").path("Permissions");
        if (permissions == null || !permissions.isArray() || permissions.isEmpty()) {
            return error(400, id, "UK.OBIE.Field.Missing", "Data.Permissions is required", "Data.Permissions");
        }
        List<String> granted = new ArrayList<>();
        for (JsonNode permission : permissions) {
            if (!permission.isTextual() || !OpenBankingConsents.ALL_PERMISSIONS.contains(permission.asText())) {
                return error(400, id, "UK.OBIE.Field.Unexpected", "Permission " + permission + " is not supported",
                        "Data.Permissions");
            }
            granted.add(permission.asText());
        }
        Instant expiration;
        try {
            expiration = body.path("Data").hasNonNull("ExpirationDateTime")
                    ? Instant.parse(body.path("Data").path("ExpirationDateTime").asText())
                    : Instant.now().plus(90, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            return error(400, id, "UK.OBIE.Field.InvalidDate", "ExpirationDateTime is not a date-time",
                    "Data.ExpirationDateTime");
        }
        Consent consent = consents.create(bank, granted, expiration);
        return Response.status(201).header(INTERACTION, id)
                .entity(envelope(consentData(consent), uri.getAbsolutePath() + "/" + consent.consentId(), null)).build();
    }

    @GET
    @Path("/account-access-consents/{consentId}")
    public Response getConsent(@PathParam("bank") String bank, @PathParam("consentId") String consentId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @HeaderParam(INTERACTION) String interaction,
            @Context UriInfo uri) {
        String id = interaction(interaction);
        if (tppToken(bank, authorization).isEmpty()) {
            return unauthorized(id);
        }
        return consents.get(bank, consentId)
                .map(consent -> Response.ok(envelope(consentData(consent), uri.getAbsolutePath().toString(), null))
                        .header(INTERACTION, id).build())
                .orElseGet(() -> error(400, id, "UK.OBIE.Resource.NotFound", "No such consent", null));
    }

    @DELETE
    @Path("/account-access-consents/{consentId}")
    public Response deleteConsent(@PathParam("bank") String bank, @PathParam("consentId") String consentId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @HeaderParam(INTERACTION) String interaction) {
        String id = interaction(interaction);
        if (tppToken(bank, authorization).isEmpty()) {
            return unauthorized(id);
        }
        if (consents.revoke(bank, consentId).isEmpty()) {
            return error(400, id, "UK.OBIE.Resource.NotFound", "No such consent", null);
        }
        oauth.revokeAccount(bank, consentId);
        return Response.noContent().header(INTERACTION, id).build();
    }

    @GET
    @Path("/accounts")
    public Response accounts(@PathParam("bank") String bank, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(INTERACTION) String interaction, @Context UriInfo uri) {
        String id = interaction(interaction);
        return withConsent(bank, authorization, id, consent -> Response.ok(envelope(
                Map.of("Account", accounts(consent).stream().map(this::account).toList()),
                uri.getAbsolutePath().toString(), null)).header(INTERACTION, id).build());
    }

    @GET
    @Path("/accounts/{accountId}")
    public Response account(@PathParam("bank") String bank, @PathParam("accountId") String accountId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @HeaderParam(INTERACTION) String interaction,
            @Context UriInfo uri) {
        String id = interaction(interaction);
        return withConsent(bank, authorization, id, consent -> find(consent, accountId)
                .map(account -> Response.ok(envelope(Map.of("Account", List.of(account(account))),
                        uri.getAbsolutePath().toString(), null)).header(INTERACTION, id).build())
                .orElseGet(() -> error(404, id, "UK.OBIE.Resource.NotFound", "No such account", null)));
    }

    @GET
    @Path("/accounts/{accountId}/balances")
    public Response balances(@PathParam("bank") String bank, @PathParam("accountId") String accountId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @HeaderParam(INTERACTION) String interaction,
            @Context UriInfo uri) {
        String id = interaction(interaction);
        return withConsent(bank, authorization, id, consent -> find(consent, accountId)
                .map(account -> Response.ok(envelope(Map.of("Balance", balances(account)),
                        uri.getAbsolutePath().toString(), null)).header(INTERACTION, id).build())
                .orElseGet(() -> error(404, id, "UK.OBIE.Resource.NotFound", "No such account", null)));
    }

    @GET
    @Path("/accounts/{accountId}/transactions")
    public Response transactions(@PathParam("bank") String bank, @PathParam("accountId") String accountId,
            @QueryParam("fromBookingDateTime") String from, @QueryParam("toBookingDateTime") String to,
            @QueryParam("page") String pageParameter, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(INTERACTION) String interaction, @Context UriInfo uri) {
        String id = interaction(interaction);
        LocalDate fromDate;
        LocalDate toDate;
        int page;
        try {
            fromDate = bookingDate(from);
            toDate = bookingDate(to);
            page = pageParameter == null ? 1 : Integer.parseInt(pageParameter);
            if (page < 1) {
                throw new NumberFormatException();
            }
        } catch (DateTimeParseException e) {
            return error(400, id, "UK.OBIE.Field.InvalidDate", "Booking date-times must be ISO 8601", null);
        } catch (NumberFormatException e) {
            return error(400, id, "UK.OBIE.Field.Invalid", "page must be a positive integer", "page");
        }
        return withConsent(bank, authorization, id, consent -> find(consent, accountId).map(account -> {
            List<Transaction> all = transactions(consent, accountId, fromDate, toDate);
            int size = config.pageSize();
            int pages = Math.max(1, (all.size() + size - 1) / size);
            // a page starts with the previous page's last record: no isolation between pages, as the spec warns
            int start = Math.max(0, (page - 1) * size - (page > 1 ? 1 : 0));
            int end = Math.min(all.size(), page * size);
            List<Map<String, Object>> data = start >= end ? List.of()
                    : all.subList(start, end).stream().map(this::transaction).toList();
            String next = page < pages ? uri.getRequestUriBuilder().replaceQueryParam("page", page + 1).build()
                    .toString() : null;
            Map<String, Object> links = new LinkedHashMap<>();
            links.put("Self", uri.getRequestUri().toString());
            links.put("First", uri.getRequestUriBuilder().replaceQueryParam("page", 1).build().toString());
            if (next != null) {
                links.put("Next", next);
            }
            if (page > 1) {
                links.put("Prev", uri.getRequestUriBuilder().replaceQueryParam("page", page - 1).build().toString());
            }
            links.put("Last", uri.getRequestUriBuilder().replaceQueryParam("page", pages).build().toString());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Data", Map.of("Transaction", data));
            body.put("Links", links);
            body.put("Meta", Map.of("TotalPages", pages));
            return Response.ok(body).header(INTERACTION, id).build();
        }).orElseGet(() -> error(404, id, "UK.OBIE.Resource.NotFound", "No such account", null)));
    }

    private Response withConsent(String bank, String authorization, String id,
            java.util.function.Function<Consent, Response> action) {
        Optional<OAuthServer.AccessToken> token = token(bank, authorization);
        if (token.isEmpty()) {
            return unauthorized(id);
        }
        if (token.get().account() == null) {
            return error(403, id, "UK.OBIE.Resource.InvalidConsentStatus",
                    "A client-credentials token reads no accounts: the user must authorise a consent", null);
        }
        Optional<Consent> consent = consents.get(bank, token.get().account());
        if (consent.isEmpty() || !"Authorised".equals(consent.get().status())) {
            return error(403, id, "UK.OBIE.Resource.InvalidConsentStatus", "The consent is not authorised", null);
        }
        if (consent.get().expiration() != null && Instant.now().isAfter(consent.get().expiration())) {
            return error(403, id, "UK.OBIE.Reauthenticate", "The consent has expired", null);
        }
        return action.apply(consent.get());
    }

    private Optional<OAuthServer.AccessToken> tppToken(String bank, String authorization) {
        return token(bank, authorization).filter(token -> token.account() == null);
    }

    private Optional<OAuthServer.AccessToken> token(String bank, String authorization) {
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        return oauth.accessToken(bank, bearer).filter(token -> !token.expired(oauth.now()));
    }

    private List<Account> accounts(Consent consent) {
        List<Account> accounts = new ArrayList<>();
        for (int k = 0; k < config.accountsPerConsent(); k++) {
            accounts.add(TransactionGenerator.account(consent.seed(), k, "GBP"));
        }
        return accounts;
    }

    private Optional<Account> find(Consent consent, String accountId) {
        return accounts(consent).stream().filter(account -> account.accountId().equals(accountId)).findFirst();
    }

    private List<Transaction> transactions(Consent consent, String accountId, LocalDate from, LocalDate to) {
        List<Account> accounts = accounts(consent);
        int index = accounts.stream().map(Account::accountId).toList().indexOf(accountId);
        LocalDate anchor = consent.created().atOffset(ZoneOffset.UTC).toLocalDate();
        List<Transaction> found = new ArrayList<>();
        for (int i = 0; i < config.transactionsPerAccount(); i++) {
            Transaction transaction = TransactionGenerator.transaction(consent.seed(), index, i,
                    config.transactionsPerAccount(), anchor, "GBP");
            if ((from == null || !transaction.date().isBefore(from)) && (to == null || !transaction.date().isAfter(to))) {
                found.add(transaction);
            }
        }
        return found;
    }

    private Map<String, Object> account(Account account) {
        boolean card = "credit".equals(account.type());
        Map<String, Object> identification = new LinkedHashMap<>();
        identification.put("SchemeName", card ? "UK.OBIE.PAN" : "UK.OBIE.SortCodeAccountNumber");
        identification.put("Identification", card ? "************" + account.mask() : "4000" + "0000" + "00" + account.mask());
        identification.put("Name", "Sandbox User");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("AccountId", account.accountId());
        body.put("Status", "Enabled");
        body.put("StatusUpdateDateTime", "2025-01-01T00:00:00+00:00");
        body.put("Currency", account.currency());
        body.put("AccountType", "Personal");
        body.put("AccountSubType", switch (account.subtype()) {
            case "savings", "money market" -> "Savings";
            case "credit card" -> "CreditCard";
            default -> "CurrentAccount";
        });
        body.put("Nickname", account.name());
        body.put("Description", account.officialName());
        body.put("OpeningDate", "2019-04-01");
        body.put("Account", List.of(identification));
        return body;
    }

    private List<Map<String, Object>> balances(Account account) {
        boolean card = "credit".equals(account.type());
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<Map<String, Object>> balances = new ArrayList<>();
        balances.add(balance(account, "InterimBooked", account.current(), card ? "Debit" : "Credit", now));
        balances.add(balance(account, "InterimAvailable", card ? account.limit().subtract(account.current())
                : account.available(), "Credit", now));
        return balances;
    }

    private static Map<String, Object> balance(Account account, String type, BigDecimal amount, String indicator,
            String now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("AccountId", account.accountId());
        body.put("CreditDebitIndicator", indicator);
        body.put("Type", type);
        body.put("DateTime", now);
        body.put("Amount", Map.of("Amount", amount.abs().toPlainString(), "Currency", account.currency()));
        return body;
    }

    private Map<String, Object> transaction(Transaction transaction) {
        // Plaid's sign convention in the generator: positive is money out
        boolean out = transaction.amount().signum() > 0;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("AccountId", transaction.accountId());
        body.put("TransactionId", transaction.transactionId());
        body.put("CreditDebitIndicator", out ? "Debit" : "Credit");
        body.put("Status", transaction.pending() ? "Pending" : "Booked");
        body.put("TransactionMutability", transaction.pending() ? "Mutable" : "Immutable");
        body.put("BookingDateTime", transaction.date() + "T10:00:00+00:00");
        body.put("ValueDateTime", transaction.date() + "T10:00:00+00:00");
        body.put("TransactionInformation", transaction.name());
        body.put("Amount", Map.of("Amount", transaction.amount().abs().toPlainString(), "Currency",
                transaction.currency()));
        body.put("ProprietaryBankTransactionCode", Map.of("Code", out ? "DEB" : "CR", "Issuer", "Sandbox"));
        if (transaction.merchantName() != null) {
            body.put("MerchantDetails", Map.of("MerchantName", transaction.merchantName()));
        }
        return body;
    }

    private static Map<String, Object> consentData(Consent consent) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("ConsentId", consent.consentId());
        data.put("Status", consent.status());
        data.put("CreationDateTime", consent.created().toString());
        data.put("StatusUpdateDateTime", consent.updated().toString());
        data.put("Permissions", consent.permissions());
        if (consent.expiration() != null) {
            data.put("ExpirationDateTime", consent.expiration().toString());
        }
        return data;
    }

    private static Map<String, Object> envelope(Object data, String self, Map<String, Object> meta) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Data", data);
        if (data instanceof Map<?, ?> map && map.containsKey("ConsentId")) {
            body.put("Risk", Map.of());
        }
        body.put("Links", Map.of("Self", self));
        body.put("Meta", meta == null ? Map.of("TotalPages", 1) : meta);
        return body;
    }

    /** The booking filters: ISO 8601, the time optional and any zone ignored (providers.md 2.2). */
    private static LocalDate bookingDate(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String local = value.replaceFirst("(Z|[+-]\\d{2}:?\\d{2})$", "");
        return local.contains("T") ? LocalDateTime.parse(local).toLocalDate() : LocalDate.parse(local);
    }

    private static String interaction(String given) {
        return given == null || given.isBlank() ? UUID.randomUUID().toString() : given;
    }

    /** A missing, unknown or expired token: 401, which may come without a body. */
    private static Response unauthorized(String id) {
        return Response.status(401).header(INTERACTION, id).build();
    }

    static Response error(int status, String id, String code, String message, String path) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("ErrorCode", code);
        detail.put("Message", message);
        if (path != null) {
            detail.put("Path", path);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Code", status + " " + Response.Status.fromStatusCode(status).getReasonPhrase());
        body.put("Id", id);
        body.put("Message", message);
        body.put("Errors", List.of(detail));
        return Response.status(status).type(MediaType.APPLICATION_JSON).header(INTERACTION, id).entity(body).build();
    }
}
