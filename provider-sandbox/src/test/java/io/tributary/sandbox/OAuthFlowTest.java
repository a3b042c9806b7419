package io.tributary.sandbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The providers' OAuth as shared/providers.md section 1 describes it, run the way oauth-service runs it. */
@QuarkusTest
@WithTestResource(WebhookReceiverTestResource.class)
class OAuthFlowTest {

    private static final String REDIRECT = "http://localhost:3000/oauth/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    @Test
    void xeroChecksPkceAndRotatesTheRefreshTokenKillingTheOldOne() {
        Map<String, String> callback = approve("/xero/identity/connect/authorize", "sandbox-xero-client",
                Map.of("code_challenge", s256(VERIFIER), "code_challenge_method", "S256",
                        "scope", "openid offline_access accounting.transactions.read"));
        assertThat(callback).containsEntry("state", "state-1").containsKey("code");

        // a wrong verifier is refused, and the code is spent by the attempt
        xeroToken(Map.of("grant_type", "authorization_code", "code", callback.get("code"), "redirect_uri", REDIRECT,
                "code_verifier", "x".repeat(43)))
                .then().statusCode(400).body("error", equalTo("invalid_grant"));

        callback = approve("/xero/identity/connect/authorize", "sandbox-xero-client",
                Map.of("code_challenge", s256(VERIFIER), "code_challenge_method", "S256"));
        Response tokens = xeroToken(Map.of("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER));
        tokens.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("access_token", notNullValue())
                .body("refresh_token", notNullValue())
                .body("expires_in", equalTo(1800))
                .body("token_type", equalTo("Bearer"));
        given().header("Authorization", "Bearer " + tokens.path("access_token")).get("/xero/connections")
                .then().statusCode(200).body("[0].tenantType", equalTo("ORGANISATION"))
                .body("[0].tenantId", notNullValue());

        // the code is single-use, and a replay revokes what it issued (RFC 6749 4.1.2)
        xeroToken(Map.of("grant_type", "authorization_code", "code", callback.get("code"), "redirect_uri", REDIRECT,
                "code_verifier", VERIFIER)).then().statusCode(400).body("error", equalTo("invalid_grant"));
        given().header("Authorization", "Bearer " + tokens.path("access_token")).get("/xero/connections")
                .then().statusCode(401);
        xeroToken(Map.of("grant_type", "refresh_token", "refresh_token", tokens.path("refresh_token")))
                .then().statusCode(400).body("error", equalTo("invalid_grant"));

        callback = approve("/xero/identity/connect/authorize", "sandbox-xero-client",
                Map.of("code_challenge", s256(VERIFIER), "code_challenge_method", "S256"));
        String firstRefresh = xeroToken(Map.of("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER)).path("refresh_token");

        Response refreshed = xeroToken(Map.of("grant_type", "refresh_token", "refresh_token", firstRefresh));
        refreshed.then().statusCode(200);
        String secondRefresh = refreshed.path("refresh_token");
        assertThat(secondRefresh).isNotEqualTo(firstRefresh);
        xeroToken(Map.of("grant_type", "refresh_token", "refresh_token", firstRefresh))
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
        xeroToken(Map.of("grant_type", "refresh_token", "refresh_token", secondRefresh)).then().statusCode(200);
    }

    @Test
    void quickbooksSendsTheRealmBackAndRevokesWithAJsonBody() {
        Map<String, String> callback = approve("/quickbooks/connect/oauth2", "sandbox-quickbooks-client",
                Map.of("scope", "com.intuit.quickbooks.accounting"));
        assertThat(callback.get("realmId")).matches("[0-9]{16}");

        Response tokens = given().auth().preemptive().basic("sandbox-quickbooks-client", "sandbox-quickbooks-secret")
                .formParams(Map.of("grant_type", "authorization_code", "code", callback.get("code"),
                        "redirect_uri", REDIRECT))
                .post("/quickbooks/oauth2/v1/tokens/bearer");
        tokens.then().statusCode(200)
                .body("token_type", equalTo("bearer"))
                .body("expires_in", equalTo(3600))
                .body("x_refresh_token_expires_in", equalTo(8_726_400));

        given().auth().preemptive().basic("sandbox-quickbooks-client", "sandbox-quickbooks-secret")
                .contentType("application/json").body(Map.of("token", tokens.path("refresh_token")))
                .post("/quickbooks/v2/oauth2/tokens/revoke").then().statusCode(200);
        given().auth().preemptive().basic("sandbox-quickbooks-client", "sandbox-quickbooks-secret")
                .formParams(Map.of("grant_type", "refresh_token", "refresh_token", tokens.path("refresh_token")))
                .post("/quickbooks/oauth2/v1/tokens/bearer")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void stripeAccessTokensNeverExpireAndTheRefreshTokenIsKept() {
        Map<String, String> callback = approve("/stripe/oauth/authorize", "ca_sandbox", Map.of("scope", "read_only"));

        Response tokens = given().formParams(Map.of("grant_type", "authorization_code", "code", callback.get("code"),
                        "client_secret", "sk_test_sandbox"))
                .post("/stripe/oauth/token");
        tokens.then().statusCode(200)
                .body("token_type", equalTo("bearer"))
                .body("livemode", equalTo(false))
                .body("scope", equalTo("read_only"))
                .body("stripe_user_id", org.hamcrest.Matchers.startsWith("acct_"))
                .body("stripe_publishable_key", org.hamcrest.Matchers.startsWith("pk_test_"))
                .body("expires_in", nullValue());
        String account = tokens.path("stripe_user_id");

        Response refreshed = given().formParams(Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.path("refresh_token"), "client_secret", "sk_test_sandbox"))
                .post("/stripe/oauth/token");
        refreshed.then().statusCode(200).body("refresh_token", equalTo(tokens.path("refresh_token")));
        assertThat((String) refreshed.path("access_token")).isNotEqualTo(tokens.path("access_token"));

        given().formParams(Map.of("client_id", "ca_sandbox", "stripe_user_id", account,
                        "client_secret", "sk_test_sandbox"))
                .post("/stripe/oauth/deauthorize").then().statusCode(200).body("stripe_user_id", equalTo(account));
        given().formParams(Map.of("grant_type", "refresh_token", "refresh_token", tokens.path("refresh_token"),
                        "client_secret", "sk_test_sandbox"))
                .post("/stripe/oauth/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void refusesUnknownClientsAndRedirectUrisAndLetsTheUserDecline() {
        given().auth().preemptive().basic("sandbox-xero-client", "wrong")
                .formParams(Map.of("grant_type", "refresh_token", "refresh_token", "anything"))
                .post("/xero/connect/token")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic("sandbox-xero-client", "sandbox-xero-secret")
                .formParams(Map.of("grant_type", "password"))
                .post("/xero/connect/token")
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));

        // an unregistered redirect URI is shown an error, never redirected to
        given().redirects().follow(false)
                .queryParams(Map.of("response_type", "code", "client_id", "sandbox-xero-client",
                        "redirect_uri", "https://attacker.example/cb", "state", "s", "auto", "approve"))
                .get("/xero/identity/connect/authorize")
                .then().statusCode(400).header("Location", nullValue());

        // without auto=approve the consent page is shown
        given().redirects().follow(false)
                .queryParams(Map.of("response_type", "code", "client_id", "sandbox-xero-client",
                        "redirect_uri", REDIRECT, "state", "s"))
                .get("/xero/identity/connect/authorize")
                .then().statusCode(200).body(containsString("id=\"approve\""));

        Response declined = given().redirects().follow(false)
                .queryParams(Map.of("response_type", "code", "client_id", "sandbox-xero-client",
                        "redirect_uri", REDIRECT, "state", "s", "auto", "deny"))
                .get("/xero/identity/connect/authorize");
        declined.then().statusCode(303);
        assertThat(query(declined.header("Location"))).containsEntry("error", "access_denied")
                .containsEntry("state", "s").doesNotContainKey("code");
    }

    @Test
    void expiredAccessTokensAreRefusedByTheProvidersApis() {
        Map<String, String> callback = approve("/xero/identity/connect/authorize", "sandbox-xero-client", Map.of());
        String access = xeroToken(Map.of("grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", REDIRECT)).path("access_token");
        given().header("Authorization", "Bearer " + access).get("/xero/connections").then().statusCode(200);

        given().post("/admin/oauth/expire-access-tokens").then().statusCode(200);

        given().header("Authorization", "Bearer " + access).get("/xero/connections").then().statusCode(401);
    }

    private static Map<String, String> approve(String path, String clientId, Map<String, String> extra) {
        Map<String, String> params = new LinkedHashMap<>(Map.of("response_type", "code", "client_id", clientId,
                "redirect_uri", REDIRECT, "state", "state-1", "auto", "approve"));
        params.putAll(extra);
        Response response = given().redirects().follow(false).queryParams(params).get(path);
        response.then().statusCode(303);
        URI location = URI.create(response.header("Location"));
        assertThat(location.getScheme() + "://" + location.getAuthority() + location.getPath()).isEqualTo(REDIRECT);
        return query(response.header("Location"));
    }

    private static Response xeroToken(Map<String, String> form) {
        return given().auth().preemptive().basic("sandbox-xero-client", "sandbox-xero-secret").formParams(form)
                .post("/xero/connect/token");
    }

    private static Map<String, String> query(String url) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            query.put(java.net.URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
