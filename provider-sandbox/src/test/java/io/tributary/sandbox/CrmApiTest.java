package io.tributary.sandbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** amoCRM's API v4 and OAuth on the account's domain, and YCLIENTS' records (shared/providers.md 1.6, 2.7). */
@QuarkusTest
@WithTestResource(WebhookReceiverTestResource.class)
class CrmApiTest {

    @Test
    void amoCrmTokensLiveOnTheAccountsDomainAndRefreshTokensAreSingleUse() {
        Map<String, String> callback = Connections.approve("/amocrm/oauth", "sandbox-amocrm-client",
                Map.of("mode", "post_message"));
        String referer = callback.get("referer");
        assertThat(referer).matches("[a-z0-9-]+\\.amocrm\\.ru");

        // the code is only good at its own account's domain
        given().contentType("application/json").body(Map.of("client_id", "sandbox-amocrm-client", "client_secret",
                "sandbox-amocrm-secret", "grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", Connections.REDIRECT)).post("/amocrm/other.amocrm.ru/oauth2/access_token")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
        JsonPath tokens = given().contentType("application/json").body(Map.of("client_id", "sandbox-amocrm-client",
                "client_secret", "sandbox-amocrm-secret", "grant_type", "authorization_code", "code",
                callback.get("code"), "redirect_uri", Connections.REDIRECT))
                .post("/amocrm/" + referer + "/oauth2/access_token").then().statusCode(200)
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(86400))
                .extract().jsonPath();

        // a form works too, as OAuth libraries send it; the old refresh token is spent
        String refreshed = given().formParams(Map.of("client_id", "sandbox-amocrm-client", "client_secret",
                "sandbox-amocrm-secret", "grant_type", "refresh_token", "refresh_token",
                tokens.getString("refresh_token"), "redirect_uri", Connections.REDIRECT))
                .post("/amocrm/" + referer + "/oauth2/access_token").then().statusCode(200)
                .extract().path("access_token");
        given().formParams(Map.of("client_id", "sandbox-amocrm-client", "client_secret", "sandbox-amocrm-secret",
                "grant_type", "refresh_token", "refresh_token", tokens.getString("refresh_token")))
                .post("/amocrm/" + referer + "/oauth2/access_token").then().statusCode(400)
                .body("error", equalTo("invalid_grant"));

        // leads page by _links.next as the SDK follows it, 204 with no body past the end
        List<Map<String, Object>> leads = new ArrayList<>();
        String next = "/amocrm/" + referer + "/api/v4/leads?limit=80";
        while (next != null) {
            Response page = amo(given().auth().oauth2(refreshed).urlEncodingEnabled(false), next);
            page.then().statusCode(200).contentType(startsWith("application/hal+json"));
            JsonPath body = page.jsonPath();
            leads.addAll(body.getList("_embedded.leads"));
            String href = body.getString("_links.next.href");
            next = href == null ? null : URI.create(href).getRawPath() + "?" + URI.create(href).getRawQuery();
        }
        assertThat(leads).hasSize(200).allSatisfy(lead -> assertThat(lead).containsKeys("id", "name", "price",
                "responsible_user_id", "status_id", "pipeline_id", "created_at", "updated_at", "closed_at",
                "account_id"));
        Response empty = amo(given().auth().oauth2(refreshed).queryParam("page", 4).queryParam("limit", 80),
                "/amocrm/" + referer + "/api/v4/leads");
        empty.then().statusCode(204);
        assertThat(empty.asByteArray()).isEmpty();

        // changes since a moment: the updated ones and the new ones, never the deleted
        long since = Instant.now().getEpochSecond();
        amo(given().auth().oauth2(refreshed).queryParam("filter[updated_at][from]", since + 1),
                "/amocrm/" + referer + "/api/v4/contacts").then().statusCode(204);
        given().contentType("application/json").body(Map.of("added", 2, "modified", 1, "deleted", 1))
                .post("/admin/books/amocrm/" + referer + "/contacts/churn").then().statusCode(200);
        List<Map<String, Object>> changed = amo(given().auth().oauth2(refreshed)
                .queryParam("filter[updated_at][from]", since), "/amocrm/" + referer + "/api/v4/contacts")
                .then().statusCode(200).extract().jsonPath().getList("_embedded.contacts");
        assertThat(changed).hasSize(3);

        amo(given().auth().oauth2(refreshed).queryParam("limit", 500), "/amocrm/" + referer + "/api/v4/leads")
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
        amo(given().auth().oauth2(refreshed).queryParam("filter[updated_at][from]", "99999999999999999"),
                "/amocrm/" + referer + "/api/v4/leads").then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
        given().auth().oauth2(refreshed).get("/amocrm/other.amocrm.ru/api/v4/leads").then().statusCode(401);

        // a burst over 7 requests a second is refused without JSON, as amoCRM refuses it
        Response burst = null;
        for (int call = 0; call < 100 && (burst == null || burst.statusCode() != 429); call++) {
            burst = given().auth().oauth2(refreshed).get("/amocrm/" + referer + "/api/v4/leads");
        }
        assertThat(burst.statusCode()).isEqualTo(429);
        assertThat(burst.contentType()).startsWith("text/html");
    }

    /** A GET as a client that keeps to amoCRM's 7 requests a second: after a 429 it waits for the next second. */
    private static Response amo(io.restassured.specification.RequestSpecification request, String path) {
        Response response = request.get(path);
        if (response.statusCode() == 429) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            response = request.get(path);
        }
        return response;
    }

    @Test
    void yclientsRecordsNeedThePartnerAndTheUserToken() {
        given().header("Authorization", "Bearer sandbox-yclients-partner").contentType("application/json")
                .body(Map.of("login", "salon@example.com", "password", "wrong")).post("/yclients/api/v1/auth")
                .then().statusCode(401).body("success", equalTo(false));
        String userToken = given().header("Authorization", "Bearer sandbox-yclients-partner")
                .contentType("application/json").body(Map.of("login", "salon@example.com", "password", "sandbox"))
                .post("/yclients/api/v1/auth").then().statusCode(200).body("success", equalTo(true))
                .extract().path("data.user_token");
        String both = "Bearer sandbox-yclients-partner, User " + userToken;
        long company = given().header("Authorization", both).get("/yclients/api/v1/companies").then()
                .statusCode(200).extract().jsonPath().getLong("data[0].id");

        List<Map<String, Object>> records = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonPath answer = given().header("Authorization", both).queryParam("page", page).queryParam("count", 90)
                    .get("/yclients/api/v1/records/" + company).then().statusCode(200)
                    .body("meta.total_count", equalTo(200)).extract().jsonPath();
            List<Map<String, Object>> data = answer.getList("data");
            records.addAll(data);
            if (data.size() < 90) {
                break;
            }
        }
        assertThat(records).hasSize(200).allSatisfy(record -> assertThat(record).containsKeys("id", "company_id",
                "staff_id", "services", "staff", "client", "date", "datetime", "create_date", "last_change_date",
                "visit_attendance", "deleted"));

        String since = OffsetDateTime.now(ZoneOffset.UTC).toString();
        given().contentType("application/json").body(Map.of("added", 1, "modified", 1, "deleted", 1))
                .post("/admin/books/yclients/" + company + "/records/churn").then().statusCode(200);
        List<Map<String, Object>> changed = given().header("Authorization", both).queryParam("changed_after", since)
                .get("/yclients/api/v1/records/" + company).then().statusCode(200).extract().jsonPath()
                .getList("data");
        // changes since a moment include the cancelled record, marked deleted
        assertThat(changed).hasSize(3);
        assertThat(changed.stream().filter(record -> Boolean.TRUE.equals(record.get("deleted")))).hasSize(1);

        given().header("Authorization", "Bearer sandbox-yclients-partner").get("/yclients/api/v1/records/" + company)
                .then().statusCode(401);
        given().header("Authorization", "Bearer sandbox-yclients-partner, User 00.forged")
                .get("/yclients/api/v1/records/" + company).then().statusCode(401);
        given().header("Authorization", both).get("/yclients/api/v1/records/" + (company + 1)).then().statusCode(403);
        given().header("Authorization", both).queryParam("count", 1000).get("/yclients/api/v1/records/" + company)
                .then().statusCode(422).body("success", equalTo(false));
    }
}
