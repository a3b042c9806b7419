package io.tributary.integration.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import io.tributary.integration.TestTokens;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.testsupport.TopicRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
class IntegrationResourceTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void shouldCreateAnIntegrationThatWaitsForItsCredentialsAndPublishIt() {
        String alice = newUser();

        String id = create(alice, Map.of("name", "Main bank", "provider", "plaid",
                "config", Map.of("daysRequested", 365), "metadata", Map.of("color", "teal")))
                .statusCode(201)
                .header("Location", containsString("/api/integrations/"))
                .contentType(ContentType.JSON)
                .body("name", equalTo("Main bank"))
                .body("type", equalTo("aggregator"))
                .body("provider", equalTo("plaid"))
                .body("status", equalTo("disconnected"))
                .body("syncFrequency", equalTo("realtime"))
                .body("config.daysRequested", equalTo(365))
                .body("metadata.color", equalTo("teal"))
                .body("errorCount", equalTo(0))
                .body("userId", equalTo(alice))
                .extract().path("id");

        IntegrationEvent event = integrationEvent(id, IntegrationEventType.CREATED);
        assertThat(event.userId()).isEqualTo(alice);
        assertThat(event.provider()).isEqualTo("plaid");
        assertThat(event.config().get("daysRequested").asInt()).isEqualTo(365);
        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/integrations/" + id)
                .then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void shouldConnectAFileImportAtOnceAndTakeANumberOfMinutesAsFrequency() {
        String alice = newUser();
        create(alice, Map.of("name", "Mint export", "provider", "mint"))
                .statusCode(201)
                .body("status", equalTo("connected"))
                .body("syncFrequency", equalTo("manual"));
        create(alice, Map.of("name", "HSBC current", "provider", "hsbc", "syncFrequency", 90))
                .statusCode(201)
                .body("type", equalTo("bank"))
                .body("syncFrequency", equalTo(90));
    }

    @Test
    void shouldRefuseInvalidIntegrationsWithProblemDetailsAndCreateNothing() {
        String alice = newUser();
        create(alice, Map.of("provider", "plaid")).statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("name"));
        create(alice, Map.of("name", "x", "provider", "bank-of-nowhere")).statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("provider"));
        create(alice, Map.of("name", "x", "provider", "sage")).statusCode(422).contentType(PROBLEM)
                .body("detail", containsString("planned"));
        create(alice, Map.of("name", "x", "provider", "plaid", "config", Map.of("daysRequested", 5000)))
                .statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("config.daysRequested"));
        create(alice, Map.of("name", "x", "provider", "plaid", "config", Map.of("colour", "red")))
                .statusCode(400).contentType(PROBLEM);
        create(alice, Map.of("name", "x", "provider", "yclients", "config", Map.of("apiKey", "do-not-store-me")))
                .statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("config.apiKey"))
                .body(not(containsString("do-not-store-me")));
        create(alice, Map.of("name", "x", "provider", "plaid", "syncFrequency", "yearly")).statusCode(400)
                .contentType(PROBLEM).body("errors[0].field", equalTo("syncFrequency"));
        create(alice, Map.of("name", "x", "provider", "plaid", "syncFrequency", 2)).statusCode(400)
                .contentType(PROBLEM).body("errors[0].message", containsString("between 5 and 43200"));
        create(alice, Map.of("name", List.of("not", "a", "string"), "provider", "plaid")).statusCode(400)
                .contentType(PROBLEM);
        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON).body("{\"name\": \"x\",")
                .when().post("/api/integrations")
                .then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:tributary:problem:malformed-request"));

        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/integrations")
                .then().statusCode(200).body("totalItems", equalTo(0));
    }

    @Test
    void shouldRefuseASecondIntegrationWithTheSameName() {
        String alice = newUser();
        create(alice, Map.of("name", "Books", "provider", "xero")).statusCode(201);
        create(alice, Map.of("name", "books", "provider", "quickbooks")).statusCode(409).contentType(PROBLEM);
        create(newUser(), Map.of("name", "Books", "provider", "xero")).statusCode(201);
    }

    @Test
    void shouldListFilterAndPageTheCallersIntegrations() {
        String alice = newUser();
        create(alice, Map.of("name", "Plaid", "provider", "plaid")).statusCode(201);
        create(alice, Map.of("name", "Xero", "provider", "xero")).statusCode(201);
        create(alice, Map.of("name", "Mint", "provider", "mint")).statusCode(201);
        create(newUser(), Map.of("name", "Someone else's", "provider", "xero")).statusCode(201);
        String token = TestTokens.user(alice);

        given().auth().oauth2(token).when().get("/api/integrations")
                .then().statusCode(200).body("totalItems", equalTo(3)).body("items.userId", everyItem(equalTo(alice)));
        given().auth().oauth2(token).queryParam("type", "accounting").when().get("/api/integrations")
                .then().statusCode(200).body("items.name", contains("Xero"));
        given().auth().oauth2(token).queryParam("status", "connected").when().get("/api/integrations")
                .then().statusCode(200).body("items.name", contains("Mint"));
        given().auth().oauth2(token).queryParam("provider", "plaid").when().get("/api/integrations")
                .then().statusCode(200).body("items.name", contains("Plaid"));
        given().auth().oauth2(token).queryParam("size", 2).queryParam("page", 1).when().get("/api/integrations")
                .then().statusCode(200).body("items", hasSize(1)).body("totalPages", equalTo(2));
        given().auth().oauth2(token).queryParam("status", "sleeping").when().get("/api/integrations")
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("status"));
        given().auth().oauth2(token).queryParam("size", 1000).when().get("/api/integrations")
                .then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void shouldReplaceSettingsAndPublishTheUpdate() {
        String alice = newUser();
        String id = create(alice, Map.of("name", "Xero", "provider", "xero")).statusCode(201).extract().path("id");

        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body(Map.of("name", "Xero (UK ltd)", "config", Map.of("startDate", "2025-01-01"), "syncFrequency", "daily"))
                .when().put("/api/integrations/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Xero (UK ltd)"))
                .body("config.startDate", equalTo("2025-01-01"))
                .body("syncFrequency", equalTo("daily"))
                .body("provider", equalTo("xero"));
        given().auth().oauth2(TestTokens.user(alice)).contentType(ContentType.JSON)
                .body(Map.of("name", "Xero", "config", Map.of("startDate", "yesterday")))
                .when().put("/api/integrations/" + id)
                .then().statusCode(400).contentType(PROBLEM).body("errors[0].field", equalTo("config.startDate"));

        assertThat(integrationEvent(id, IntegrationEventType.UPDATED).config().get("startDate").asText())
                .isEqualTo("2025-01-01");
    }

    @Test
    void shouldSoftDeleteAndPublishSoCredentialsAreRevoked() {
        String alice = newUser();
        String id = create(alice, Map.of("name", "Stripe", "provider", "stripe")).statusCode(201).extract().path("id");

        given().auth().oauth2(TestTokens.user(alice)).when().delete("/api/integrations/" + id).then().statusCode(204);

        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/integrations/" + id)
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.user(alice)).when().delete("/api/integrations/" + id)
                .then().statusCode(404);
        assertThat(integrationEvent(id, IntegrationEventType.DELETED).provider()).isEqualTo("stripe");
        // the name is free again
        create(alice, Map.of("name", "Stripe", "provider", "stripe")).statusCode(201);
    }

    @Test
    void shouldHideOneUsersIntegrationsFromAnother() {
        String alice = newUser();
        String id = create(alice, Map.of("name", "Alice's bank", "provider", "hsbc")).statusCode(201).extract().path("id");
        String bob = TestTokens.user(newUser());

        for (String path : List.of("", "/status", "/sync-jobs", "/logs")) {
            given().auth().oauth2(bob).when().get("/api/integrations/" + id + path)
                    .then().statusCode(404).contentType(PROBLEM).body(not(containsString("Alice")));
        }
        given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("name", "mine now"))
                .when().put("/api/integrations/" + id).then().statusCode(404);
        given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/integrations/" + id + "/sync").then().statusCode(404);
        given().auth().oauth2(bob).when().delete("/api/integrations/" + id).then().statusCode(404);
        given().auth().oauth2(bob).when().get("/api/integrations").then().statusCode(200).body("totalItems", equalTo(0));
        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/integrations/" + id)
                .then().statusCode(200).body("name", equalTo("Alice's bank"));
    }

    @Test
    void shouldRequireAValidBearerToken() {
        given().when().get("/api/integrations")
                .then().statusCode(401).contentType(PROBLEM).header("WWW-Authenticate", containsString("Bearer"));
        given().auth().oauth2("not-a-jwt").when().get("/api/integrations")
                .then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void shouldRefuseATokenThatNamesNoSubject() {
        // the same token with a subject is accepted: only the missing subject makes the difference
        given().auth().oauth2(signedToken(newUser())).when().get("/api/integrations").then().statusCode(200);
        String withoutSubject = signedToken(null);

        given().auth().oauth2(withoutSubject).when().get("/api/integrations")
                .then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2(withoutSubject).contentType(ContentType.JSON).body(Map.of("name", "x", "provider", "mint"))
                .when().post("/api/integrations")
                .then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void shouldKeepAdminEndpointsToAdmins() {
        String alice = newUser();
        create(alice, Map.of("name", "Plaid", "provider", "plaid")).statusCode(201);

        given().auth().oauth2(TestTokens.user(alice)).when().get("/api/integrations/admin/integrations")
                .then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.user(alice)).when().post("/api/integrations/sync-all")
                .then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.admin(newUser())).queryParam("userId", alice)
                .when().get("/api/integrations/admin/integrations")
                .then().statusCode(200).body("totalItems", equalTo(1)).body("items[0].userId", equalTo(alice));
    }

    @Test
    void shouldServeTheProviderCatalogueWithConfigSchemas() {
        given().auth().oauth2(TestTokens.user(newUser())).when().get("/api/integrations/providers")
                .then().statusCode(200)
                .body("$", hasSize(21))
                .body("find { it.id == 'plaid' }.authKind", equalTo("plaid_link"))
                .body("find { it.id == 'hsbc' }.defaultFrequency", equalTo(360))
                .body("find { it.id == 'sage' }.availability", equalTo("planned"))
                .body("find { it.id == 'kra_itax' }.type", equalTo("tax"))
                .body("find { it.id == 'plaid' }.configSchema.properties.daysRequested.maximum", equalTo(730))
                .body("find { it.id == 'plaid' }.syncService", nullValue());
    }

    @Test
    void shouldServeTheOpenApiDocument() {
        given().when().get("/q/openapi?format=json")
                .then().statusCode(200)
                .body("paths", notNullValue())
                .body("paths.'/api/integrations/{id}/sync'.post", notNullValue());
    }

    private static String signedToken(String subject) {
        var claims = io.smallrye.jwt.build.Jwt.preferredUserName("ghost").groups(java.util.Set.of("user"))
                .issuer("https://server.example.com").audience("https://service.example.com");
        if (subject != null) {
            claims.subject(subject);
        }
        return claims.jws().keyId("1").sign("privateKey.jwk");
    }

    static ValidatableResponse create(String user, Map<String, Object> body) {
        return given().auth().oauth2(TestTokens.user(user)).contentType(ContentType.JSON).body(body)
                .when().post("/api/integrations").then();
    }

    static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    private static IntegrationEvent integrationEvent(String integrationId, IntegrationEventType type) {
        List<TopicRecord> records = KafkaTopics.read(Topics.INTEGRATION_EVENTS, 1,
                record -> record.key().equals(integrationId)
                        && EventCodec.fromJson(record.value(), IntegrationEvent.class).type() == type,
                Duration.ofSeconds(30));
        assertThat(records).as(type + " event of " + integrationId).hasSize(1);
        assertThat(records.get(0).header("ce_type")).isEqualTo("io.tributary.integration-events");
        return EventCodec.fromJson(records.get(0).value(), IntegrationEvent.class);
    }
}
