package io.tributary.bank.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.tributary.bank.PlaidStubTestResource;
import io.tributary.bank.TestTokens;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import io.tributary.contracts.event.SyncedTransaction;
import io.tributary.contracts.event.TransactionsSynced;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** File imports through the API: row-by-row validation, re-imports that add nothing, and the caller's integrations only. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(PlaidStubTestResource.class)
class ImportResourceTest {

    private static final String PROBLEM = "application/problem+json";

    /** Mint's export columns; two identical coffees on one day are two purchases. */
    private static final String MINT = """
            "Date","Description","Original Description","Amount","Transaction Type","Category","Account Name","Labels","Notes"
            "1/15/2026","Costa","COSTA COFFEE 123","4.50","debit","Food and drink","Everyday Checking","",""
            "1/15/2026","Costa","COSTA COFFEE 123","4.50","debit","Food and drink","Everyday Checking","",""
            "1/31/2026","Acme Payroll","ACME CORP PAYROLL","2,500.00","credit","Income","Everyday Checking","","January"
            "13/45/2026","Broken date","X","1.00","debit","","Everyday Checking","",""
            "2/01/2026","No type","X","1.00","","","Everyday Checking","",""
            "2/02/2026","Bad amount","X","lots","debit","","Everyday Checking","",""
            """;

    @Inject
    Pool pool;

    @Test
    void aMintExportImportsItsGoodRowsReportsTheBadOnesAndAddsNothingTheSecondTime() {
        String alice = user();
        UUID integration = integration(alice, "mint");

        JsonPath first = upload(alice, integration, "mint", MINT).then().statusCode(200).extract().jsonPath();
        assertThat(first.getInt("rowsRead")).isEqualTo(6);
        assertThat(first.getInt("imported")).isEqualTo(3);
        assertThat(first.getInt("rejectedCount")).isEqualTo(3);
        assertThat(first.getList("rejected.line", Integer.class)).containsExactly(5, 6, 7);
        assertThat(first.getString("rejected[0].reason")).contains("Date");
        assertThat(first.getString("rejected[1].reason")).contains("debit or credit");
        assertThat(first.getString("rejected[2].reason")).contains("not an amount");

        JsonPath again = upload(alice, integration, "mint", MINT).then().statusCode(200).extract().jsonPath();
        assertThat(again.getInt("imported")).isZero();
        assertThat(again.getInt("alreadyImported")).isEqualTo(3);

        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/bank/transactions")
                .then().statusCode(200).body("items", hasSize(3))
                .body("items.find { it.name == 'Acme Payroll' }.amount", equalTo(2500.0f))
                .body("items.find { it.name == 'Acme Payroll' }.notes", equalTo("January"))
                .body("items.findAll { it.name == 'Costa' }.amount", equalTo(List.of(-4.5f, -4.5f)))
                .body("items.find { it.name == 'Costa' }.categoryName", equalTo("Food and drink"));
        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/bank/accounts")
                .then().statusCode(200).body("$", hasSize(1)).body("[0].name", equalTo("Everyday Checking"));

        // the finance app hears of the new rows, once
        await().atMost(Duration.ofSeconds(30)).until(() -> synced(integration).size() == 3);
        assertThat(synced(integration)).extracting(SyncedTransaction::accountExternalId)
                .containsOnly("Everyday Checking");
    }

    @Test
    void anEmpowerExportAndAMappedCsvImportWithTheirOwnConventions() {
        String alice = user();
        UUID empower = integration(alice, "empower");
        upload(alice, empower, "empower", """
                Date,Account,Description,Category,Tags,Amount
                2026-02-03,Brokerage Cash,Dividend,Income,,12.34
                2026-02-04,Brokerage Cash,Fee,Fees,,-1.00
                """).then().statusCode(200).body("imported", equalTo(2));

        UUID mint = integration(alice, "mint");
        given().auth().oauth2(TestTokens.user(alice)).multiPart("integrationId", mint.toString())
                .multiPart("format", "generic").multiPart("currency", "GBP").multiPart("account", "Joint account")
                .multiPart("mapping", "{\"date\":\"Posted\",\"amount\":\"Debit\",\"description\":\"Payee\","
                        + "\"dateFormat\":\"dd/MM/yyyy\",\"expensesPositive\":true}")
                .multiPart("file", "statement.csv", ("Posted,Payee,Debit\n03/02/2026,Tesco,23.10\n04/02/2026,Refund,-5\n")
                        .getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/bank/imports")
                .then().statusCode(200).body("imported", equalTo(2)).body("format", equalTo("generic"));

        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/bank/transactions?q=tesco")
                .then().statusCode(200).body("items[0].amount", equalTo(-23.1f))
                .body("items[0].currency", equalTo("GBP")).body("items[0].date", equalTo("2026-02-03"));
        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/bank/transactions?q=dividend")
                .then().statusCode(200).body("items[0].amount", equalTo(12.34f));
    }

    @Test
    void anImportIntoAnotherUsersOrTheWrongIntegrationOrOfABadFileIsAProblemAndChangesNothing() {
        String alice = user();
        UUID integration = integration(alice, "mint");
        UUID plaid = integration(alice, "plaid");

        upload(user(), integration, "mint", MINT).then().statusCode(404).contentType(PROBLEM);
        upload(alice, plaid, "mint", MINT).then().statusCode(422).contentType(PROBLEM);
        upload(alice, integration, "quicken", MINT).then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("format"));
        upload(alice, integration, "mint", "Name,Value\nx,1\n").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].message", containsString("\"Date\""));
        upload(alice, integration, "mint", "Date,Date,Amount,Description\n1/1/2026,1/1/2026,1,x\n")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("file"));
        upload(alice, integration, "mint", MINT + "\"1/15/2026\",\"never closed,4.50\n")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("file"));
        upload(alice, integration, "generic", MINT).then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("mapping"));
        given().auth().oauth2(TestTokens.user(alice)).multiPart("integrationId", integration.toString())
                .multiPart("format", "mint").when().post("/api/bank/imports")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("file"));
        given().auth().oauth2(TestTokens.user(alice)).multiPart("integrationId", integration.toString())
                .multiPart("format", "mint")
                .multiPart("file", "bad.csv", new byte[] {(byte) 0xC3, (byte) 0x28, 0x0A}, "text/csv")
                .when().post("/api/bank/imports").then().statusCode(400).contentType(PROBLEM);
        given().multiPart("integrationId", integration.toString()).multiPart("format", "mint")
                .multiPart("file", "t.csv", MINT.getBytes(StandardCharsets.UTF_8), "text/csv")
                .when().post("/api/bank/imports").then().statusCode(401);

        assertThat(pool.preparedQuery("SELECT count(*) FROM bank.transactions WHERE user_id = $1")
                .execute(Tuple.of(alice)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0)).isZero();
    }

    private static io.restassured.response.Response upload(String userId, UUID integration, String format, String csv) {
        RequestSpecification request = given().auth().oauth2(TestTokens.user(userId))
                .multiPart("integrationId", integration.toString()).multiPart("format", format)
                .multiPart("file", "transactions.csv", csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        return request.when().post("/api/bank/imports");
    }

    private UUID integration(String userId, String provider) {
        UUID id = UUID.randomUUID();
        IntegrationEvent created = new IntegrationEvent(id, userId, provider, IntegrationCategory.AGGREGATOR,
                IntegrationEventType.CREATED, null, Instant.now());
        KafkaTopics.publish(Topics.INTEGRATION_EVENTS, id.toString(), EventCodec.toJson(created),
                KafkaTopics.cloudEventHeaders(UUID.randomUUID().toString(), EventType.INTEGRATION_EVENT.cloudEventType()));
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery("SELECT count(*) FROM "
                + "bank.integration_refs WHERE integration_id = $1").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 1);
        return id;
    }

    private static List<SyncedTransaction> synced(UUID integration) {
        return KafkaTopics.read(Topics.TRANSACTIONS_SYNCED, Integer.MAX_VALUE,
                        record -> record.key().equals(integration.toString()), Duration.ofSeconds(1)).stream()
                .map(record -> EventCodec.fromJson(record.value(), TransactionsSynced.class))
                .flatMap(batch -> batch.transactions().stream()).toList();
    }

    private static String user() {
        return "user-" + UUID.randomUUID();
    }
}
