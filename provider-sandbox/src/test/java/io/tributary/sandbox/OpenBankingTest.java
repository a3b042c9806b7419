package io.tributary.sandbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** UK Open Banking AIS as providers.md 1.5, 2.2 and 4 describe it, run the way a TPP runs it. */
@QuarkusTest
@WithTestResource(WebhookReceiverTestResource.class)
class OpenBankingTest {

    private static final String REDIRECT = "http://localhost:3000/oauth/callback";
    private static final String AIS = "/hsbc/open-banking/v3.1/aisp";
    private static final String AMOUNT = "^\\d{1,13}(\\.\\d{1,5})?$";

    @AfterEach
    void clearFaults() {
        given().delete("/admin/faults").then().statusCode(204);
    }

    @Test
    void consentAuthorisationThenAccountsBalancesAndOverlappingTransactionPages() {
        String tpp = clientCredentials();
        String interaction = "93bac548-d2de-4546-b106-880a5018460d";
        Response created = given().auth().oauth2(tpp).header("x-fapi-interaction-id", interaction)
                .contentType("application/json")
                .body(Map.of("Data", Map.of("Permissions", List.of("ReadAccountsDetail", "ReadBalances",
                        "ReadTransactionsDetail", "ReadTransactionsCredits", "ReadTransactionsDebits")), "Risk", Map.of()))
                .post(AIS + "/account-access-consents");
        created.then().statusCode(201).header("x-fapi-interaction-id", interaction)
                .body("Data.Status", equalTo("AwaitingAuthorisation")).body("Links.Self", notNullValue());
        String consentId = created.path("Data.ConsentId");

        String user = authorise(consentId);
        given().auth().oauth2(tpp).get(AIS + "/account-access-consents/" + consentId)
                .then().statusCode(200).body("Data.Status", equalTo("Authorised"));

        JsonPath accounts = given().auth().oauth2(user).get(AIS + "/accounts").then().statusCode(200)
                .header("x-fapi-interaction-id", notNullValue()).extract().jsonPath();
        List<Map<String, Object>> list = accounts.getList("Data.Account");
        assertThat(list).hasSize(2).allSatisfy(account -> {
            assertThat(account).containsKeys("AccountId", "Currency", "AccountType", "AccountSubType", "Account");
            assertThat((String) account.get("Currency")).matches("[A-Z]{3}");
            assertThat(List.of("ChargeCard", "CreditCard", "CurrentAccount", "EMoney", "Loan", "Mortgage",
                    "PrePaidCard", "Savings", "Wallet")).contains((String) account.get("AccountSubType"));
        });
        String accountId = (String) list.get(0).get("AccountId");

        List<Map<String, Object>> balances = given().auth().oauth2(user).get(AIS + "/accounts/" + accountId + "/balances")
                .then().statusCode(200).extract().jsonPath().getList("Data.Balance");
        assertThat(balances).isNotEmpty().allSatisfy(balance -> {
            assertThat(balance).containsKeys("AccountId", "CreditDebitIndicator", "Type", "DateTime", "Amount");
            assertThat((String) ((Map<?, ?>) balance.get("Amount")).get("Amount")).matches(AMOUNT);
        });

        // follow Links.Next verbatim; consecutive pages share a record, so de-duplicate by TransactionId
        List<Map<String, Object>> seen = new ArrayList<>();
        String next = AIS + "/accounts/" + accountId + "/transactions";
        int pages = 0;
        while (next != null) {
            JsonPath page = given().auth().oauth2(user).get(next).then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("Data.Transaction"));
            next = page.getString("Links.Next");
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(120 + 2);
        Set<Object> unique = seen.stream().map(t -> t.get("TransactionId")).collect(Collectors.toSet());
        assertThat(unique).hasSize(120);
        assertThat(seen).allSatisfy(transaction -> {
            assertThat(transaction).containsKeys("AccountId", "CreditDebitIndicator", "Status", "BookingDateTime",
                    "Amount");
            assertThat((String) ((Map<?, ?>) transaction.get("Amount")).get("Amount")).matches(AMOUNT);
            assertThat(Set.of("Credit", "Debit")).contains((String) transaction.get("CreditDebitIndicator"));
            assertThat(Set.of("Booked", "Pending")).contains((String) transaction.get("Status"));
        });

        // a booking window, the zone ignored
        String lastDate = ((String) seen.get(seen.size() - 1).get("BookingDateTime")).substring(0, 10);
        List<Map<String, Object>> recent = given().auth().oauth2(user)
                .queryParam("fromBookingDateTime", lastDate + "T00:00:00+05:00")
                .get(AIS + "/accounts/" + accountId + "/transactions")
                .then().statusCode(200).extract().jsonPath().getList("Data.Transaction");
        assertThat(recent).isNotEmpty().allSatisfy(t -> assertThat((String) t.get("BookingDateTime")).startsWith(lastDate));

        // the TPP revokes the consent: the user's token no longer reads anything
        given().auth().oauth2(tpp).delete(AIS + "/account-access-consents/" + consentId).then().statusCode(204);
        given().auth().oauth2(user).get(AIS + "/accounts").then().statusCode(401);
    }

    @Test
    void refusesWhatTheSpecRefusesInItsErrorShape() {
        String tpp = clientCredentials();
        given().get(AIS + "/accounts").then().statusCode(401).header("x-fapi-interaction-id", notNullValue());
        given().auth().oauth2(tpp).get(AIS + "/accounts").then().statusCode(403)
                .body("Errors[0].ErrorCode", equalTo("UK.OBIE.Resource.InvalidConsentStatus"));
        JsonPath missing = given().auth().oauth2(tpp).contentType("application/json")
                .body(Map.of("Data", Map.of(), "Risk", Map.of())).post(AIS + "/account-access-consents")
                .then().statusCode(400).extract().jsonPath();
        assertThat(missing.getMap("").keySet()).contains("Code", "Message", "Errors");
        assertThat(missing.getString("Errors[0].ErrorCode")).isEqualTo("UK.OBIE.Field.Missing");

        // oauth-service's flow names no consent: approving authorises a new one with every read permission
        String user = authorise(null);
        given().auth().oauth2(user).get(AIS + "/accounts/no-such-account").then().statusCode(404)
                .body("Errors[0].ErrorCode", equalTo("UK.OBIE.Resource.NotFound"));
        String accountId = given().auth().oauth2(user).get(AIS + "/accounts").then().extract().path("Data.Account[0].AccountId");
        given().auth().oauth2(user).queryParam("fromBookingDateTime", "yesterday")
                .get(AIS + "/accounts/" + accountId + "/transactions")
                .then().statusCode(400).body("Errors[0].ErrorCode", equalTo("UK.OBIE.Field.InvalidDate"));

        // throttled: 429 with Retry-After and no body
        given().contentType("application/json").body(Map.of("type", "rate_limit", "retryAfterSeconds", 3))
                .put("/admin/faults/hsbc").then().statusCode(200);
        Response limited = given().auth().oauth2(user).get(AIS + "/accounts");
        limited.then().statusCode(429).header("Retry-After", "3");
        assertThat(limited.asString()).isEmpty();
        // another bank is untouched
        given().get("/barclays/open-banking/v3.1/aisp/accounts").then().statusCode(401);
    }

    @Test
    void aRequestObjectThatDoesNotVerifyAuthorisesNothing() {
        String tpp = clientCredentials();
        String consentId = given().auth().oauth2(tpp).contentType("application/json")
                .body(Map.of("Data", Map.of("Permissions", List.of("ReadAccountsDetail")), "Risk", Map.of()))
                .post(AIS + "/account-access-consents").then().statusCode(201).extract().path("Data.ConsentId");
        given().redirects().follow(false).queryParams(Map.of("response_type", "code", "client_id",
                        "sandbox-hsbc-client", "redirect_uri", REDIRECT, "state", "s", "auto", "approve",
                        "request", requestObject(consentId, "not-the-client-secret")))
                .get("/hsbc/authorize").then().statusCode(400);
        given().redirects().follow(false).queryParams(Map.of("response_type", "code", "client_id",
                        "sandbox-hsbc-client", "redirect_uri", REDIRECT, "state", "s", "auto", "approve",
                        "request", "not.a.jwt"))
                .get("/hsbc/authorize").then().statusCode(400);
        given().auth().oauth2(tpp).get(AIS + "/account-access-consents/" + consentId)
                .then().statusCode(200).body("Data.Status", equalTo("AwaitingAuthorisation"));
    }

    static String requestObject(String consentId, String secret) {
        try {
            org.jose4j.jwt.JwtClaims claims = new org.jose4j.jwt.JwtClaims();
            claims.setIssuer("sandbox-hsbc-client");
            claims.setAudience("http://localhost/hsbc");
            claims.setExpirationTimeMinutesInTheFuture(10);
            claims.setStringClaim("client_id", "sandbox-hsbc-client");
            claims.setStringClaim("response_type", "code");
            claims.setClaim("claims", Map.of("id_token", Map.of("openbanking_intent_id",
                    Map.of("value", consentId, "essential", true))));
            org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(org.jose4j.jws.AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKey(new org.jose4j.keys.HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
            jws.setDoKeyValidation(false);
            return jws.getCompactSerialization();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clientCredentials() {
        return given().auth().preemptive().basic("sandbox-hsbc-client", "sandbox-hsbc-secret")
                .formParams(Map.of("grant_type", "client_credentials", "scope", "accounts"))
                .post("/hsbc/token").then().statusCode(200).body("refresh_token", org.hamcrest.Matchers.nullValue())
                .extract().path("access_token");
    }

    private static String authorise(String consentId) {
        Map<String, String> params = new LinkedHashMap<>(Map.of("response_type", "code", "client_id",
                "sandbox-hsbc-client", "redirect_uri", REDIRECT, "scope", "openid accounts", "state", "s",
                "auto", "approve"));
        if (consentId != null) {
            // as a TPP names the consent: the openbanking_intent_id claim of a signed request object
            params.put("request", requestObject(consentId, "sandbox-hsbc-secret"));
        }
        Response approved = given().redirects().follow(false).queryParams(params).get("/hsbc/authorize");
        approved.then().statusCode(303);
        String code = null;
        for (String pair : URI.create(approved.header("Location")).getRawQuery().split("&")) {
            if (pair.startsWith("code=")) {
                code = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
            }
        }
        return given().auth().preemptive().basic("sandbox-hsbc-client", "sandbox-hsbc-secret")
                .formParams(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT))
                .post("/hsbc/token").then().statusCode(200).body("refresh_token", notNullValue())
                .extract().path("access_token");
    }
}
