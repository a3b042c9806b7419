package io.tributary.sandbox;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** PayPal's Transaction Search, balances, disputes and RSA-signed webhooks (shared/providers.md 2.4, 3.3). */
@QuarkusTest
@WithTestResource(WebhookReceiverTestResource.class)
class PayPalApiTest {

    @WebhookReceiver
    WireMockServer receiver;

    @Test
    void transactionSearchHoldsTo31DayWindowsAndPagesByPage() {
        String token = appToken();
        OffsetDateTime end = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        // a range over 31 days is refused: clients split the history into windows
        given().auth().oauth2(token).queryParam("start_date", rfc3339(end.minusDays(40)))
                .queryParam("end_date", rfc3339(end)).get("/paypal/v1/reporting/transactions")
                .then().statusCode(400).body("name", equalTo("INVALID_REQUEST"))
                .body("details[0].issue", equalTo("Date range is greater than 31 days"));
        given().auth().oauth2(token).queryParam("start_date", "2026-01-01").queryParam("end_date", rfc3339(end))
                .get("/paypal/v1/reporting/transactions").then().statusCode(400)
                .body("details[0].field", equalTo("start_date"));
        given().auth().oauth2(token).queryParam("start_date", rfc3339(end.minusDays(5)))
                .queryParam("end_date", rfc3339(end)).queryParam("page_size", 501)
                .get("/paypal/v1/reporting/transactions").then().statusCode(400)
                .body("details[0].field", equalTo("page_size"));

        // two years in 31-day windows, pages of 3 followed through the next links
        List<Map<String, Object>> all = new ArrayList<>();
        for (OffsetDateTime from = end.minusDays(731); from.isBefore(end); from = from.plusDays(31)) {
            OffsetDateTime to = from.plusDays(31).isAfter(end) ? end : from.plusDays(31).minusSeconds(1);
            String url = "/paypal/v1/reporting/transactions?start_date=" + rfc3339(from) + "&end_date=" + rfc3339(to)
                    + "&page_size=3&fields=all";
            while (url != null) {
                JsonPath page = given().auth().oauth2(token).urlEncodingEnabled(false).get(url.replace("+", "%2B"))
                        .then().statusCode(200).extract().jsonPath();
                all.addAll(page.getList("transaction_details"));
                String next = null;
                for (Map<String, String> link : page.<Map<String, String>>getList("links")) {
                    if ("next".equals(link.get("rel"))) {
                        URI uri = URI.create(link.get("href"));
                        next = uri.getRawPath() + "?" + uri.getRawQuery();
                    }
                }
                url = next;
            }
        }
        // the app's merchant is shared by these tests: its 200 of history, plus what a churn test added
        assertThat(all).hasSizeBetween(200, 202);
        assertThat(all).allSatisfy(detail -> {
            assertThat(detail).containsKeys("transaction_info", "payer_info", "cart_info");
            Map<?, ?> info = (Map<?, ?>) detail.get("transaction_info");
            assertThat((String) info.get("transaction_id")).hasSize(17);
            assertThat(((Map<?, ?>) info.get("transaction_amount")).get("value")).isInstanceOf(String.class);
            assertThat((String) info.get("transaction_initiation_date")).matches(
                    "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\+0000");
            assertThat(info.get("transaction_event_code")).isIn("T0006", "T0400", "T1107");
        });
        assertThat(all.stream().map(d -> ((Map<?, ?>) d.get("transaction_info")).get("transaction_id")).distinct())
                .hasSize(all.size());

        given().auth().oauth2(token).get("/paypal/v1/reporting/balances").then().statusCode(200)
                .body("balances[0].primary", equalTo(true))
                .body("balances[0].available_balance.value", org.hamcrest.Matchers.isA(String.class));
    }

    @Test
    void disputesPageByTheNextPageTokenOfTheLinks() {
        String token = appToken();
        List<Map<String, Object>> disputes = new ArrayList<>();
        String url = "/paypal/v1/customer/disputes?page_size=2";
        while (url != null) {
            JsonPath page = given().auth().oauth2(token).urlEncodingEnabled(false).get(url).then().statusCode(200)
                    .extract().jsonPath();
            disputes.addAll(page.getList("items"));
            url = null;
            for (Map<String, String> link : page.<Map<String, String>>getList("links")) {
                if ("next".equals(link.get("rel"))) {
                    URI uri = URI.create(link.get("href"));
                    assertThat(URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8)).contains("next_page_token=");
                    url = uri.getRawPath() + "?" + uri.getRawQuery();
                }
            }
        }
        assertThat(disputes).hasSize(5).allSatisfy(dispute -> {
            assertThat(dispute).containsKeys("dispute_id", "create_time", "update_time", "reason", "status",
                    "dispute_state", "dispute_amount", "dispute_life_cycle_stage", "dispute_channel", "links");
            assertThat(dispute.get("status")).isIn("WAITING_FOR_SELLER_RESPONSE", "RESOLVED");
        });
        String id = (String) disputes.get(0).get("dispute_id");
        given().auth().oauth2(token).get("/paypal/v1/customer/disputes/" + id).then().statusCode(200)
                .body("dispute_id", equalTo(id));
        given().auth().oauth2(token).get("/paypal/v1/customer/disputes/PP-D-1-XXXX").then().statusCode(404)
                .body("name", equalTo("RESOURCE_NOT_FOUND"));
        given().auth().oauth2(token).queryParam("next_page_token", "bm90LW1pbmU6MQ")
                .get("/paypal/v1/customer/disputes").then().statusCode(400);
        given().auth().oauth2("not-a-token").get("/paypal/v1/customer/disputes").then().statusCode(401)
                .body("error", equalTo("invalid_token"));
    }

    @Test
    void churnSendsAnRsaSignedWebhookThatVerifiesWithTheCertificateAtItsUrl() throws Exception {
        String token = appToken();
        String merchant = given().auth().oauth2(token).get("/paypal/v1/reporting/balances").then().statusCode(200)
                .extract().path("account_id");
        given().contentType("application/json").body(Map.of("added", 2))
                .post("/admin/books/paypal/" + merchant + "/transactions/churn").then().statusCode(200)
                .body("webhook.status", equalTo(200));
        LoggedRequest delivery = receiver.findAll(postRequestedFor(urlEqualTo("/webhooks/paypal"))).stream()
                .reduce((a, b) -> b).orElseThrow();
        String certUrl = delivery.getHeader("PAYPAL-CERT-URL");
        assertThat(delivery.getHeader("PAYPAL-AUTH-ALGO")).isEqualTo("SHA256withRSA");
        byte[] pem = given().get(URI.create(certUrl).getPath()).then().statusCode(200).extract().asByteArray();
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
        CRC32 crc = new CRC32();
        crc.update(delivery.getBody());
        String message = delivery.getHeader("PAYPAL-TRANSMISSION-ID") + "|"
                + delivery.getHeader("PAYPAL-TRANSMISSION-TIME") + "|WH-SANDBOX-PAYPAL|" + crc.getValue();
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(certificate.getPublicKey());
        signature.update(message.getBytes(StandardCharsets.UTF_8));
        assertThat(signature.verify(Base64.getDecoder().decode(delivery.getHeader("PAYPAL-TRANSMISSION-SIG"))))
                .isTrue();
        JsonPath event = new JsonPath(delivery.getBodyAsString());
        assertThat(event.getString("event_type")).isEqualTo("PAYMENT.CAPTURE.COMPLETED");
        String captured = event.getString("resource.id");
        // the captured transaction is the merchant's newest, and Transaction Search finds it by id
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        given().auth().oauth2(token).queryParam("start_date", rfc3339(now.minusDays(1)))
                .queryParam("end_date", rfc3339(now.plusMinutes(1))).queryParam("transaction_id", captured)
                .get("/paypal/v1/reporting/transactions").then().statusCode(200)
                .body("transaction_details[0].transaction_info.transaction_id", equalTo(captured));
        given().get("/paypal/v1/notifications/certs/CERT-unknown").then().statusCode(404);
    }

    private static String rfc3339(OffsetDateTime time) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").format(time);
    }

    private static String appToken() {
        return given().auth().preemptive().basic("sandbox-paypal-client", "sandbox-paypal-secret")
                .formParams(Map.of("grant_type", "client_credentials")).post("/paypal/v1/oauth2/token")
                .then().statusCode(200).body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(32400)).extract().path("access_token");
    }
}
