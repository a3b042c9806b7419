package io.tributary.sandbox;

import io.restassured.response.Response;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Connects sandbox accounts the way oauth-service does: authorize (auto-approved), then the code exchange. */
final class Connections {

    static final String REDIRECT = "http://localhost:3000/oauth/callback";

    private Connections() {
    }

    /** A connected Stripe account: its OAuth access token and {@code stripe_user_id}. */
    static Map<String, String> stripe() {
        Map<String, String> callback = approve("/stripe/oauth/authorize", "ca_sandbox", Map.of("scope", "read_only"));
        Response tokens = given().formParams(Map.of("grant_type", "authorization_code", "code", callback.get("code"),
                "client_secret", "sk_test_sandbox")).post("/stripe/oauth/token");
        tokens.then().statusCode(200);
        return Map.of("token", tokens.path("access_token"), "account", tokens.path("stripe_user_id"));
    }

    /** A connected Xero organisation: the access token and the tenant id from {@code /connections}. */
    static Map<String, String> xero() {
        Map<String, String> callback = approve("/xero/identity/connect/authorize", "sandbox-xero-client",
                Map.of("scope", "openid offline_access accounting.transactions.read accounting.settings.read"));
        String token = given().auth().preemptive().basic("sandbox-xero-client", "sandbox-xero-secret")
                .formParams(Map.of("grant_type", "authorization_code", "code", callback.get("code"),
                        "redirect_uri", REDIRECT))
                .post("/xero/connect/token").then().statusCode(200).extract().path("access_token");
        String tenant = given().auth().oauth2(token).get("/xero/connections").then().statusCode(200)
                .extract().path("[0].tenantId");
        return Map.of("token", token, "tenant", tenant);
    }

    /** A connected QuickBooks company: the access token and the {@code realmId} of the callback. */
    static Map<String, String> quickbooks() {
        Map<String, String> callback = approve("/quickbooks/connect/oauth2", "sandbox-quickbooks-client",
                Map.of("scope", "com.intuit.quickbooks.accounting"));
        String token = given().auth().preemptive().basic("sandbox-quickbooks-client", "sandbox-quickbooks-secret")
                .formParams(Map.of("grant_type", "authorization_code", "code", callback.get("code"),
                        "redirect_uri", REDIRECT))
                .post("/quickbooks/oauth2/v1/tokens/bearer").then().statusCode(200).extract().path("access_token");
        return Map.of("token", token, "realm", callback.get("realmId"));
    }

    static Map<String, String> approve(String path, String clientId, Map<String, String> extra) {
        Map<String, String> params = new LinkedHashMap<>(Map.of("response_type", "code", "client_id", clientId,
                "redirect_uri", REDIRECT, "state", "state-1", "auto", "approve"));
        params.putAll(extra);
        Response response = given().redirects().follow(false).queryParams(params).get(path);
        response.then().statusCode(303);
        return query(response.header("Location"));
    }

    static Map<String, String> query(String url) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
