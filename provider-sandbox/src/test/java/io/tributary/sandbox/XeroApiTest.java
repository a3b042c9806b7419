package io.tributary.sandbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** Xero's Accounting API (shared/providers.md 2.6): tenant header, .NET dates, paging, If-Modified-Since, limits. */
@QuarkusTest
@WithTestResource(WebhookReceiverTestResource.class)
class XeroApiTest {

    @WebhookReceiver
    com.github.tomakehurst.wiremock.WireMockServer receiver;

    private static final String BASE = "/xero/api.xro/2.0";

    @Test
    void bankTransactionsPageByHundredAndIfModifiedSinceReturnsOnlyWhatChanged() {
        Map<String, String> org = Connections.xero();
        JsonPath first = xero(org).queryParam("page", 1).get(BASE + "/BankTransactions").then().statusCode(200)
                .header("X-MinLimit-Remaining", notNullValue()).header("X-DayLimit-Remaining", notNullValue())
                .header("X-AppMinLimit-Remaining", notNullValue())
                .body("Status", equalTo("OK"))
                .body("pagination.page", equalTo(1)).body("pagination.pageSize", equalTo(100))
                .body("pagination.pageCount", equalTo(2)).body("pagination.itemCount", equalTo(200))
                .extract().jsonPath();
        List<Map<String, Object>> page1 = first.getList("BankTransactions");
        List<Map<String, Object>> page2 = xero(org).queryParam("page", 2).get(BASE + "/BankTransactions")
                .then().statusCode(200).extract().jsonPath().getList("BankTransactions");
        List<Map<String, Object>> page3 = xero(org).queryParam("page", 3).get(BASE + "/BankTransactions")
                .then().statusCode(200).extract().jsonPath().getList("BankTransactions");
        assertThat(page1).hasSize(100);
        assertThat(page2).hasSize(100);
        assertThat(page3).isEmpty();
        Set<Object> ids = new HashSet<>();
        page1.forEach(t -> ids.add(t.get("BankTransactionID")));
        page2.forEach(t -> ids.add(t.get("BankTransactionID")));
        assertThat(ids).hasSize(200);
        assertThat(page1).allSatisfy(transaction -> {
            assertThat(transaction).containsKeys("BankTransactionID", "Type", "Contact", "LineItems", "BankAccount",
                    "IsReconciled", "Date", "Reference", "CurrencyCode", "Status", "LineAmountTypes", "SubTotal",
                    "TotalTax", "Total", "UpdatedDateUTC", "HasAttachments");
            assertThat(transaction.get("Type")).isIn("RECEIVE", "SPEND");
            assertThat((String) transaction.get("Date")).matches("/Date\\(\\d+\\+0000\\)/");
            assertThat((String) transaction.get("UpdatedDateUTC")).matches("/Date\\(\\d+\\+0000\\)/");
            assertThat(((Map<?, ?>) transaction.get("BankAccount")).get("Code")).isIn("090", "091");
        });

        // one record by id, as GET /BankTransactions/{id} answers it
        String someId = (String) page2.get(5).get("BankTransactionID");
        xero(org).get(BASE + "/BankTransactions/" + someId).then().statusCode(200)
                .body("BankTransactions[0].BankTransactionID", equalTo(someId));

        String since = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1).toString();
        xero(org).header("If-Modified-Since", since).get(BASE + "/BankTransactions").then().statusCode(200)
                .body("BankTransactions.size()", equalTo(0));
        given().contentType("application/json").body(Map.of("added", 2, "modified", 3, "deleted", 1))
                .post("/admin/books/xero/" + org.get("tenant") + "/BankTransactions/churn").then().statusCode(200);
        List<Map<String, Object>> changed = xero(org).header("If-Modified-Since", since).queryParam("page", 1)
                .get(BASE + "/BankTransactions").then().statusCode(200).body("pagination.itemCount", equalTo(6))
                .extract().jsonPath().getList("BankTransactions");
        assertThat(changed).hasSize(6);
        assertThat(changed.stream().filter(t -> "DELETED".equals(t.get("Status")))).hasSize(1);
        assertThat(changed.stream().filter(t -> !ids.contains(t.get("BankTransactionID")))).hasSize(2);
    }

    @Test
    void accountsAndInvoicesFilterAsXeroFilters() {
        Map<String, String> org = Connections.xero();
        List<Map<String, Object>> banks = xero(org).queryParam("where", "Type==\"BANK\"").get(BASE + "/Accounts")
                .then().statusCode(200).extract().jsonPath().getList("Accounts");
        assertThat(banks).hasSize(2).allSatisfy(account -> {
            assertThat(account).containsKeys("AccountID", "Code", "Name", "Type", "Status", "Class",
                    "BankAccountType", "CurrencyCode", "UpdatedDateUTC");
            assertThat(account.get("Class")).isEqualTo("ASSET");
        });
        assertThat(xero(org).get(BASE + "/Accounts").then().statusCode(200).extract().jsonPath()
                .getList("Accounts")).hasSizeGreaterThan(10);

        List<Map<String, Object>> paid = xero(org).queryParam("Statuses", "PAID").queryParam("page", 1)
                .get(BASE + "/Invoices").then().statusCode(200).extract().jsonPath().getList("Invoices");
        assertThat(paid).isNotEmpty().allSatisfy(invoice -> {
            assertThat(invoice.get("Status")).isEqualTo("PAID");
            assertThat(invoice).containsKeys("InvoiceID", "InvoiceNumber", "Type", "Date", "DueDate", "SubTotal",
                    "TotalTax", "Total", "AmountDue", "AmountPaid", "AmountCredited", "CurrencyCode",
                    "UpdatedDateUTC", "Payments");
            assertThat(((Number) invoice.get("AmountDue")).doubleValue()).isZero();
            assertThat(invoice.get("Type")).isIn("ACCREC", "ACCPAY");
        });

        xero(org).queryParam("where", "Total > 5").get(BASE + "/Invoices").then().statusCode(400)
                .body("Type", equalTo("ValidationException"));
        xero(org).queryParam("page", "two").get(BASE + "/Invoices").then().statusCode(400);
        xero(org).header("If-Modified-Since", "last tuesday").get(BASE + "/Invoices").then().statusCode(400);
    }

    @Test
    void theTenantHeaderIsRequiredAndTheMinuteLimitAnswers429WithRetryAfter() {
        Map<String, String> org = Connections.xero();
        Map<String, String> other = Connections.xero();
        given().auth().oauth2(org.get("token")).get(BASE + "/Accounts").then().statusCode(403);
        given().auth().oauth2(org.get("token")).header("xero-tenant-id", other.get("tenant")).get(BASE + "/Accounts")
                .then().statusCode(403);
        given().header("xero-tenant-id", org.get("tenant")).get(BASE + "/Accounts").then().statusCode(401);
        String otherInvoice = xero(other).queryParam("page", 1).get(BASE + "/Invoices").then().statusCode(200)
                .extract().path("Invoices[0].InvoiceID");
        xero(org).get(BASE + "/Invoices/" + otherInvoice).then().statusCode(404);

        Response last = null;
        for (int call = 0; call < 61 && (last == null || last.statusCode() == 200); call++) {
            last = xero(org).get(BASE + "/Accounts");
        }
        // within one minute window the 61st call is over; a window boundary mid-loop leaves it at 200
        if (last.statusCode() == 429) {
            assertThat(last.header("X-Rate-Limit-Problem")).isEqualTo("minute");
            assertThat(Integer.parseInt(last.header("Retry-After"))).isBetween(1, 60);
        } else {
            Response again = null;
            for (int call = 0; call < 61 && (again == null || again.statusCode() == 200); call++) {
                again = xero(org).get(BASE + "/Accounts");
            }
            assertThat(again.statusCode()).isEqualTo(429);
            assertThat(again.header("X-Rate-Limit-Problem")).isEqualTo("minute");
        }
    }

    @Test
    void invoiceChurnSendsXerosSignedEventsNamingEachInvoice() throws Exception {
        Map<String, String> org = Connections.xero();
        given().contentType("application/json").body(Map.of("added", 1, "modified", 1))
                .post("/admin/books/xero/" + org.get("tenant") + "/Invoices/churn").then().statusCode(200)
                .body("webhook.status", equalTo(200));
        var delivery = receiver.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/webhooks/xero"))).stream()
                .filter(request -> request.getBodyAsString().contains(org.get("tenant"))).reduce((a, b) -> b)
                .orElseThrow();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("sandbox-xero-webhook-key".getBytes(), "HmacSHA256"));
        assertThat(delivery.getHeader("x-xero-signature"))
                .isEqualTo(java.util.Base64.getEncoder().encodeToString(mac.doFinal(delivery.getBody())));
        JsonPath events = new JsonPath(delivery.getBodyAsString());
        assertThat(events.getList("events.eventType")).containsExactlyInAnyOrder("CREATE", "UPDATE");
        assertThat(events.getList("events.eventCategory")).containsOnly("INVOICE");
        // each event names an invoice the organisation's API answers
        for (String id : events.<String>getList("events.resourceId")) {
            xero(org).get(BASE + "/Invoices/" + id).then().statusCode(200).body("Invoices[0].InvoiceID", equalTo(id));
        }
    }

    private static RequestSpecification xero(Map<String, String> org) {
        return given().auth().oauth2(org.get("token")).header("xero-tenant-id", org.get("tenant"));
    }
}
