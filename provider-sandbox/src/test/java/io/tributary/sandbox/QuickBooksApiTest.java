package io.tributary.sandbox;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** QuickBooks Online's query language, CDC and Fault envelope (shared/providers.md 2.5). */
@QuarkusTest
@WithTestResource(WebhookReceiverTestResource.class)
class QuickBooksApiTest {

    @WebhookReceiver
    WireMockServer receiver;

    @Test
    void queriesPageByStartPositionUntilFewerThanMaxResultsComeBack() {
        Map<String, String> company = Connections.quickbooks();
        String base = "/quickbooks/v3/company/" + company.get("realm");
        List<Map<String, Object>> all = new ArrayList<>();
        for (int start = 1; ; start += 75) {
            JsonPath page = qbo(company).queryParam("query", "SELECT * FROM Purchase STARTPOSITION " + start
                    + " MAXRESULTS 75").queryParam("minorversion", 75).get(base + "/query").then().statusCode(200)
                    .body("time", org.hamcrest.Matchers.notNullValue()).extract().jsonPath();
            List<Map<String, Object>> rows = page.getList("QueryResponse.Purchase");
            if (rows == null) {
                break;
            }
            assertThat(page.getInt("QueryResponse.startPosition")).isEqualTo(start);
            assertThat(page.getInt("QueryResponse.maxResults")).isEqualTo(rows.size());
            all.addAll(rows);
            if (rows.size() < 75) {
                break;
            }
        }
        assertThat(all).hasSize(200);
        assertThat(all.stream().map(row -> row.get("Id")).distinct()).hasSize(200);
        assertThat(all).allSatisfy(purchase -> {
            assertThat(purchase).containsKeys("Id", "SyncToken", "MetaData", "TxnDate", "TotalAmt", "PaymentType",
                    "AccountRef", "EntityRef", "Line", "CurrencyRef");
            Map<?, ?> meta = (Map<?, ?>) purchase.get("MetaData");
            OffsetDateTime.parse((String) meta.get("CreateTime"));
            OffsetDateTime.parse((String) meta.get("LastUpdatedTime"));
        });
        qbo(company).queryParam("query", "select count(*) from Purchase").get(base + "/query").then().statusCode(200)
                .body("QueryResponse.totalCount", equalTo(200));
        // the same statement posted as application/text
        qbo(company).contentType("application/text").body("SELECT * FROM Account WHERE Id = '35'"
                .getBytes(StandardCharsets.UTF_8))
                .post(base + "/query").then().statusCode(200)
                .body("QueryResponse.Account[0].AccountType", equalTo("Bank"));
    }

    @Test
    void lastUpdatedTimeAndCdcReturnWhatChangedWithDeletionsAsStatusDeleted() {
        Map<String, String> company = Connections.quickbooks();
        String base = "/quickbooks/v3/company/" + company.get("realm");
        qbo(company).queryParam("query", "SELECT COUNT(*) FROM Invoice").get(base + "/query").then().statusCode(200)
                .body("QueryResponse.totalCount", equalTo(200));
        String since = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1).withNano(0).toString();
        qbo(company).queryParam("query", "SELECT * FROM Invoice WHERE MetaData.LastUpdatedTime > '" + since + "'")
                .get(base + "/query").then().statusCode(200).body("QueryResponse", not(hasKey("Invoice")));

        given().contentType("application/json").body(Map.of("added", 2, "modified", 2, "deleted", 1))
                .post("/admin/books/quickbooks/" + company.get("realm") + "/Invoice/churn").then().statusCode(200)
                .body("webhook.status", equalTo(200));

        List<Map<String, Object>> updated = qbo(company).queryParam("query", "SELECT * FROM Invoice WHERE "
                + "MetaData.LastUpdatedTime >= '" + since + "' ORDERBY MetaData.LastUpdatedTime MAXRESULTS 1000")
                .get(base + "/query").then().statusCode(200).extract().jsonPath().getList("QueryResponse.Invoice");
        // a query never returns deleted entities
        assertThat(updated).hasSize(4);
        assertThat(updated.stream().filter(invoice -> "1".equals(invoice.get("SyncToken")))).hasSize(2);

        JsonPath cdc = qbo(company).queryParam("entities", "Invoice,Purchase").queryParam("changedSince", since)
                .get(base + "/cdc").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> invoices = cdc.getList("CDCResponse[0].QueryResponse[0].Invoice");
        assertThat(invoices).hasSize(5);
        assertThat(invoices.stream().filter(invoice -> "Deleted".equals(invoice.get("status"))))
                .singleElement().satisfies(deleted -> assertThat(deleted).containsKeys("Id", "MetaData"));
        assertThat(cdc.getMap("CDCResponse[0].QueryResponse[1]")).doesNotContainKey("Purchase");

        // the notification names what changed, signed with the verifier token
        LoggedRequest delivery = receiver.findAll(postRequestedFor(urlEqualTo("/webhooks/quickbooks"))).stream()
                .filter(request -> request.getBodyAsString().contains(company.get("realm"))).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(delivery.getHeader("intuit-signature")).isEqualTo(hmac("sandbox-quickbooks-verifier",
                delivery.getBody()));
        JsonPath notification = new JsonPath(delivery.getBodyAsString());
        assertThat(notification.getList("eventNotifications[0].dataChangeEvent.entities.operation"))
                .containsExactlyInAnyOrder("Create", "Create", "Update", "Update", "Delete");
        Set<String> changedIds = new HashSet<>(notification.getList("eventNotifications[0].dataChangeEvent.entities.id"));
        assertThat(changedIds).hasSize(5);
        String aliveId = (String) updated.get(0).get("Id");
        qbo(company).get(base + "/invoice/" + aliveId).then().statusCode(200).body("Invoice.Id", equalTo(aliveId));
        String deletedId = (String) invoices.stream().filter(i -> "Deleted".equals(i.get("status"))).findFirst()
                .orElseThrow().get("Id");
        qbo(company).get(base + "/invoice/" + deletedId).then().statusCode(400)
                .body("Fault.Error[0].code", equalTo("610"));
    }

    @Test
    void badQueriesOtherCompaniesAndOldCdcWindowsAreFaults() {
        Map<String, String> company = Connections.quickbooks();
        Map<String, String> other = Connections.quickbooks();
        String base = "/quickbooks/v3/company/" + company.get("realm");
        qbo(company).queryParam("query", "SELECT * FROM Purchase WHERE Id = '1' OR Id = '2'").get(base + "/query")
                .then().statusCode(400).body("Fault.type", equalTo("ValidationFault"))
                .body("Fault.Error[0].code", equalTo("4000"));
        qbo(company).queryParam("query", "DROP TABLE Purchase").get(base + "/query").then().statusCode(400)
                .body("Fault.Error[0].Message", equalTo("Error parsing query"));
        qbo(company).queryParam("query", "SELECT * FROM Purchase MAXRESULTS 5000").get(base + "/query")
                .then().statusCode(400);
        qbo(company).queryParam("query", "SELECT * FROM Purchase STARTPOSITION 99999999999999999999")
                .get(base + "/query").then().statusCode(400).body("Fault.Error[0].code", equalTo("4001"));
        qbo(company).queryParam("entities", "Invoice")
                .queryParam("changedSince", OffsetDateTime.now(ZoneOffset.UTC).minusDays(31).toString())
                .get(base + "/cdc").then().statusCode(400).body("Fault.Error[0].element", equalTo("changedSince"));
        qbo(company).queryParam("query", "SELECT * FROM Purchase")
                .get("/quickbooks/v3/company/" + other.get("realm") + "/query").then().statusCode(403)
                .body("Fault.type", equalTo("AuthorizationFault"));
        given().queryParam("query", "SELECT * FROM Purchase").get(base + "/query").then().statusCode(401)
                .body("Fault.Error[0].code", equalTo("3200"));
    }

    private static RequestSpecification qbo(Map<String, String> company) {
        return given().auth().oauth2(company.get("token")).accept("application/json");
    }

    private static String hmac(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
