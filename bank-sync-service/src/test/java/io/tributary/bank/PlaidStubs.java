package io.tributary.bank;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/** Plaid's /transactions/sync pages as Plaid writes them (providers.md 2.1), for the WireMock stand-in. */
public final class PlaidStubs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlaidStubs() {
    }

    public static String token() {
        return "access-sandbox-" + UUID.randomUUID();
    }

    public static void page(WireMockServer plaid, String token, String cursor, List<Map<String, Object>> added, List<Map<String, Object>> modified,
            List<String> removed, String next, boolean more) {
        plaid.stubFor(request(token, cursor).willReturn(okJson(body(added, modified, removed, next, more))));
    }

    public static MappingBuilder request(String token, String cursor) {
        MappingBuilder request = post(urlEqualTo("/transactions/sync"))
                .withHeader("PLAID-CLIENT-ID", equalTo("plaid-test-client"))
                .withRequestBody(matchingJsonPath("$.access_token", equalTo(token)));
        return cursor == null ? request.withRequestBody(notContaining("\"cursor\""))
                : request.withRequestBody(matchingJsonPath("$.cursor", equalTo(cursor)));
    }

    public static ResponseDefinitionBuilder okJson(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** A page with the two accounts at other balances (a balance moved between syncs). */
    public static String body(double checkingBalance, List<Map<String, Object>> added, String next, boolean more) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("accounts", List.of(account("acc-check", "Everyday", "depository", "checking", checkingBalance, null),
                account("acc-card", "Card", "credit", "credit card", 300.00, 5000.00)));
        page.put("added", added);
        page.put("modified", List.of());
        page.put("removed", List.of());
        page.put("next_cursor", next);
        page.put("has_more", more);
        page.put("transactions_update_status", "HISTORICAL_UPDATE_COMPLETE");
        page.put("request_id", "req-b");
        try {
            return JSON.writeValueAsString(page);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String body(List<Map<String, Object>> added, List<Map<String, Object>> modified, List<String> removed,
            String next, boolean more) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("accounts", List.of(account("acc-check", "Everyday", "depository", "checking", 1250.10, null),
                account("acc-card", "Card", "credit", "credit card", 300.00, 5000.00)));
        page.put("added", added);
        page.put("modified", modified);
        page.put("removed", removed.stream().map(id -> Map.of("transaction_id", id, "account_id", "acc-check")).toList());
        page.put("next_cursor", next);
        page.put("has_more", more);
        page.put("transactions_update_status", "HISTORICAL_UPDATE_COMPLETE");
        page.put("request_id", "req");
        try {
            return JSON.writeValueAsString(page);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An {@code /accounts/get} answer: the two accounts of {@link #body} and their Item. */
    public static String accountsBody() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accounts", List.of(account("acc-check", "Everyday", "depository", "checking", 1250.10, null),
                account("acc-card", "Card", "credit", "credit card", 300.00, 5000.00)));
        answer.put("item", Map.of("item_id", "item-x", "institution_id", "ins_109508",
                "institution_name", "First Platypus Bank", "available_products", List.of(),
                "billed_products", List.of("transactions")));
        answer.put("request_id", "req-a");
        try {
            return JSON.writeValueAsString(answer);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> account(String id, String name, String type, String subtype, double current,
            Double limit) {
        Map<String, Object> balances = new HashMap<>();
        balances.put("current", current);
        balances.put("available", limit == null ? current : null);
        balances.put("limit", limit);
        balances.put("iso_currency_code", "GBP");
        balances.put("unofficial_currency_code", null);
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("account_id", id);
        account.put("balances", balances);
        account.put("mask", "0000");
        account.put("name", name);
        account.put("official_name", null);
        account.put("type", type);
        account.put("subtype", subtype);
        return account;
    }

    /** Transactions {prefix}-{from} … alternating between the two accounts, with Plaid's required fields. */
    public static List<Map<String, Object>> transactions(String prefix, int from, int count) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("account_id", i % 2 == 0 ? "acc-check" : "acc-card");
            t.put("amount", 4.50 + i);
            t.put("iso_currency_code", "GBP");
            t.put("unofficial_currency_code", null);
            t.put("date", "2026-11-" + String.format("%02d", 1 + i % 28));
            t.put("datetime", null);
            t.put("authorized_date", null);
            t.put("authorized_datetime", null);
            t.put("name", "Coffee " + i);
            t.put("merchant_name", "Costa");
            t.put("pending", false);
            t.put("pending_transaction_id", null);
            t.put("account_owner", null);
            t.put("transaction_id", prefix + "-" + i);
            t.put("payment_channel", "in store");
            t.put("personal_finance_category", Map.of("primary", "FOOD_AND_DRINK", "detailed",
                    "FOOD_AND_DRINK_COFFEE"));
            list.add(t);
        }
        return list;
    }

    /**
     * oauth-service's {@code GET /internal/credentials/{id}} answering the Item's access token, as its
     * {@code UsableCredential}; only a bearer-token caller gets it.
     */
    public static void credential(WireMockServer server, UUID integrationId, String accessToken, String itemId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("integrationId", integrationId.toString());
        body.put("provider", "plaid");
        body.put("kind", "plaid");
        body.put("tokenType", null);
        body.put("accessToken", accessToken);
        body.put("expiresAt", null);
        body.put("secrets", null);
        body.put("account", Map.of("itemId", itemId));
        try {
            server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/internal/credentials/"
                            + integrationId))
                    .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.matching("Bearer .+"))
                    .willReturn(okJson(JSON.writeValueAsString(body))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** oauth-service refusing: 404 (no credential) or 409 (the provider refused it; reconnect), as problem details. */
    public static void credentialProblem(WireMockServer server, UUID integrationId, int status) {
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/internal/credentials/"
                        + integrationId))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"type\":\"urn:tributary:problem:" + (status == 404 ? "not-found" : "conflict")
                                + "\",\"title\":\"refused\",\"status\":" + status + "}")));
    }

    /** A Plaid error answer on {@code /transactions/sync} for this token, e.g. ITEM_LOGIN_REQUIRED. */
    public static void error(WireMockServer plaid, String token, int status, String type, String code, String message) {
        plaid.stubFor(request(token, null).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error_type\":\"" + type + "\",\"error_code\":\"" + code + "\",\"error_message\":\""
                        + message + "\",\"display_message\":null,\"request_id\":\"req-e\"}")));
    }
}
