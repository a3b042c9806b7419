package io.tributary.webhook;

import com.stripe.net.Webhook;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.EventType;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import io.tributary.contracts.event.WebhookReceived;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.testsupport.TopicRecord;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(WebhookSecretsTestResource.class)
@WithTestResource(ProviderStubsTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
class WebhookEndpointsTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String ADMIN = "/api/integrations/admin/webhooks";
    private static final List<String> LOOPBACK = List.of("127.0.0.1/32", "::1/128");

    @ConfigProperty(name = "test.stripe.secrets")
    List<String> providerWideStripeSecrets;

    @Inject
    Pool pool;

    @Test
    void shouldVerifyAPerConnectionEndpointWithItsOwnSecretsThroughARotation() throws Exception {
        UUID integration = UUID.randomUUID();
        String account = "acct_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String first = "whsec_" + UUID.randomUUID();
        var created = createEndpoint(Map.of("provider", "stripe", "integrationId", integration.toString(),
                "providerAccount", account, "secrets", List.of(first)))
                .statusCode(201)
                .header("Location", containsString(ADMIN + "/endpoints/"))
                .body("secretCount", equalTo(1))
                .body("$", not(hasKey("secrets")))
                .body("url", containsString("/api/integrations/webhooks/stripe/"))
                .extract();
        String url = created.path("url");
        String id = created.path("id");
        assertThat(created.asString()).doesNotContain(first);

        String eventId = stripeEventId();
        String body = stripeEvent(eventId, account);
        deliver(url, body, Webhook.Signature.generateSignatureHeader(body, first)).statusCode(200)
                .body("status", equalTo("accepted"));
        String other = stripeEvent(stripeEventId(), account);
        // the provider-wide secret is not this endpoint's
        deliver(url, other, Webhook.Signature.generateSignatureHeader(other, providerWideStripeSecrets.get(0)))
                .statusCode(401);

        WebhookReceived received = published(eventId);
        assertThat(received.integrationId()).isEqualTo(integration);
        assertThat(received.providerAccountId()).isEqualTo(account);

        String second = "whsec_" + UUID.randomUUID();
        admin().contentType(ContentType.JSON).body(Map.of("secrets", List.of(second, first)))
                .when().put(ADMIN + "/endpoints/" + id + "/secrets")
                .then().statusCode(200).body("secretCount", equalTo(2));
        String during = stripeEvent(stripeEventId(), account);
        deliver(url, during, Webhook.Signature.generateSignatureHeader(during, first)).statusCode(200);
        String withNew = stripeEvent(stripeEventId(), account);
        deliver(url, withNew, Webhook.Signature.generateSignatureHeader(withNew, second)).statusCode(200);
        admin().contentType(ContentType.JSON).body(Map.of("secrets", List.of(second)))
                .when().put(ADMIN + "/endpoints/" + id + "/secrets").then().statusCode(200);
        String after = stripeEvent(stripeEventId(), account);
        deliver(url, after, Webhook.Signature.generateSignatureHeader(after, first)).statusCode(401);

        // and the sealed secrets are not readable in the database
        byte[] sealed = pool.preparedQuery("SELECT secrets FROM webhook.webhook_endpoints WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getBuffer("secrets").getBytes();
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(second);
    }

    @Test
    void shouldMapAProviderWideDeliveryToTheIntegrationOfItsAccount() throws Exception {
        UUID integration = UUID.randomUUID();
        String account = "acct_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        createEndpoint(Map.of("provider", "stripe", "integrationId", integration.toString(), "providerAccount", account,
                "secrets", List.of("whsec_" + UUID.randomUUID()))).statusCode(201);

        String eventId = stripeEventId();
        String body = stripeEvent(eventId, account);
        deliver("/api/integrations/webhooks/stripe", body,
                Webhook.Signature.generateSignatureHeader(body, providerWideStripeSecrets.get(0))).statusCode(200);

        assertThat(published(eventId).integrationId()).isEqualTo(integration);
        String unmapped = stripeEventId();
        String elsewhere = stripeEvent(unmapped, "acct_nobodyweknow");
        deliver("/api/integrations/webhooks/stripe", elsewhere,
                Webhook.Signature.generateSignatureHeader(elsewhere, providerWideStripeSecrets.get(0))).statusCode(200);
        assertThat(published(unmapped).integrationId()).isNull();
    }

    @Test
    void shouldTakeUnsignedAmoCrmDeliveriesOnlyAtTheSecretUrlAndPublishAHintNotTheData() {
        UUID integration = UUID.randomUUID();
        String url = createEndpoint(Map.of("provider", "amocrm", "integrationId", integration.toString(),
                "providerAccount", "acme", "allowedSources", LOOPBACK)).statusCode(201).extract().path("url");
        String lead = Long.toString(System.nanoTime());
        String form = "leads%5Bupdate%5D%5B0%5D%5Bid%5D=" + lead + "&leads%5Bupdate%5D%5B0%5D%5Bprice%5D=999999"
                + "&account%5Bsubdomain%5D=someone-else&account%5Bid%5D=1";

        given().contentType(ContentType.URLENC.withCharset("UTF-8")).body(form).when().post(url)
                .then().statusCode(200).body("status", equalTo("accepted"));
        given().contentType(ContentType.URLENC.withCharset("UTF-8")).body(form).when().post(url)
                .then().statusCode(200).body("status", equalTo("duplicate"));

        List<TopicRecord> records = KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 1,
                record -> record.value().contains(lead), Duration.ofSeconds(30));
        assertThat(records).hasSize(1);
        // the key is the endpoint's account, never the one the unsigned payload claims
        assertThat(records.get(0).key()).isEqualTo("amocrm:acme");
        WebhookReceived received = EventCodec.fromJson(records.get(0).value(), WebhookReceived.class);
        assertThat(received.integrationId()).isEqualTo(integration);
        assertThat(received.eventType()).isEqualTo("leads.update");
        assertThat(received.payload().at("/entities/0/id").asText()).isEqualTo(lead);
        assertThat(received.payload().toString()).doesNotContain("999999").doesNotContain("someone-else");

        String made = url.substring(0, url.lastIndexOf('/') + 1) + "A".repeat(43);
        given().contentType(ContentType.URLENC).body(form).when().post(made).then().statusCode(404).contentType(PROBLEM);
        given().contentType(ContentType.URLENC).body(form).when().post("/api/integrations/webhooks/amocrm")
                .then().statusCode(404).contentType(PROBLEM);
        given().contentType(ContentType.URLENC).body(form).when().post(url.replace("/amocrm/", "/yclients/"))
                .then().statusCode(404);
    }

    @Test
    void shouldRefuseSendersOutsideTheAllowListAndTakeYclientsJsonAsAHint() {
        String fenced = createEndpoint(Map.of("provider", "yclients", "allowedSources", List.of("10.20.0.0/16")))
                .statusCode(201).extract().path("url");
        String record = "{\"company_id\": 4564, \"resource\": \"record\", \"resource_id\": " + System.nanoTime()
                + ", \"status\": \"update\", \"data\": {\"cost\": 1500}}";
        given().contentType(ContentType.JSON).body(record).when().post(fenced).then().statusCode(403).contentType(PROBLEM);

        String open = createEndpoint(Map.of("provider", "yclients", "providerAccount", "4564")).statusCode(201)
                .extract().path("url");
        given().contentType(ContentType.JSON).body(record).when().post(open).then().statusCode(200);
        List<TopicRecord> records = KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 1,
                published -> published.key().equals("yclients:4564") && published.value().contains("record.update"),
                Duration.ofSeconds(30));
        WebhookReceived received = EventCodec.fromJson(records.get(0).value(), WebhookReceived.class);
        assertThat(received.payload().get("resource").asText()).isEqualTo("record");
        assertThat(received.payload().has("data")).isFalse();
    }

    @Test
    void shouldRateLimitAFloodAtOneEndpointWithoutSlowingAnother() {
        String flooded = createEndpoint(Map.of("provider", "yclients")).statusCode(201).extract().path("url");
        String quiet = createEndpoint(Map.of("provider", "yclients")).statusCode(201).extract().path("url");

        List<Integer> statuses = new ArrayList<>();
        String retryAfter = null;
        for (int i = 0; i < 40; i++) {
            var response = given().contentType(ContentType.JSON)
                    .body("{\"resource\": \"client\", \"resource_id\": " + i + ", \"status\": \"create\", \"n\": \""
                            + UUID.randomUUID() + "\"}")
                    .when().post(flooded).then().extract();
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                retryAfter = response.header("Retry-After");
            }
        }
        given().contentType(ContentType.JSON).body("{\"resource\": \"client\", \"resource_id\": 1, \"status\": \"create\"}")
                .when().post(quiet).then().statusCode(200);

        assertThat(statuses).contains(200, 429).containsOnly(200, 429);
        assertThat(retryAfter).isNotNull();
        assertThat(Integer.parseInt(retryAfter)).isPositive();
        given().when().get("/q/metrics").then()
                .body(containsString("integrations_webhooks_total{provider=\"yclients\",result=\"rate_limited\"}"));
    }

    @Test
    void shouldAcknowledgeButNotPublishEventTypesTheEndpointDoesNotTake() {
        String url = createEndpoint(Map.of("provider", "yclients", "eventTypes", List.of("record.create")))
                .statusCode(201).extract().path("url");

        given().contentType(ContentType.JSON).body("{\"resource\": \"record\", \"resource_id\": 5, \"status\": \"delete\"}")
                .when().post(url).then().statusCode(200).body("status", equalTo("ignored"));
        given().contentType(ContentType.JSON).body("{\"resource\": \"record\", \"resource_id\": 5, \"status\": \"create\"}")
                .when().post(url).then().statusCode(200).body("status", equalTo("accepted"));
    }

    @Test
    void shouldStopAnEndpointWhenItsIntegrationIsDeletedOrItIsDeactivated() {
        UUID integration = UUID.randomUUID();
        String url = createEndpoint(Map.of("provider", "yclients", "integrationId", integration.toString()))
                .statusCode(201).extract().path("url");
        String id = admin().when().get(ADMIN + "/endpoints?integrationId=" + integration).then().statusCode(200)
                .extract().path("items[0].id");
        IntegrationEvent deleted = new IntegrationEvent(integration, "user-1", "yclients", IntegrationCategory.CRM,
                IntegrationEventType.DELETED, null, Instant.now());
        KafkaTopics.publish(Topics.INTEGRATION_EVENTS, integration.toString(), EventCodec.toJson(deleted),
                KafkaTopics.cloudEventHeaders(UUID.randomUUID().toString(), EventType.INTEGRATION_EVENT.cloudEventType()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> admin().when().get(ADMIN + "/endpoints/" + id)
                .then().statusCode(200).body("active", equalTo(false)));
        given().contentType(ContentType.JSON).body("{\"resource\": \"record\", \"resource_id\": 1, \"status\": \"create\"}")
                .when().post(url).then().statusCode(404);

        String other = createEndpoint(Map.of("provider", "yclients")).statusCode(201).extract().path("id");
        admin().when().delete(ADMIN + "/endpoints/" + other).then().statusCode(200).body("active", equalTo(false));
        admin().when().delete(ADMIN + "/endpoints/" + UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void shouldGuardTheAdminApiAndRefuseBadEndpointsWithProblems() {
        given().when().get(ADMIN + "/endpoints").then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2(token("someone", Set.of("user"))).when().get(ADMIN + "/events")
                .then().statusCode(403).contentType(PROBLEM);

        createEndpoint(Map.of("provider", "nobody")).statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("provider"));
        createEndpoint(Map.of("provider", "stripe")).statusCode(400).body("errors[0].field", equalTo("secrets"));
        createEndpoint(Map.of("provider", "amocrm", "secrets", List.of("s"))).statusCode(400)
                .body("errors[0].field", equalTo("secrets"));
        createEndpoint(Map.of("provider", "amocrm", "allowedSources", List.of("not-an-address"))).statusCode(400)
                .body("errors[0].field", equalTo("allowedSources"));
        createEndpoint(Map.of("provider", "stripe", "secrets", List.of("a", "b", "c"))).statusCode(400);
        // PostgreSQL text holds no NUL: refused as invalid, never a 500
        createEndpoint(Map.of("provider", "yclients", "providerAccount", "acme\u0000")).statusCode(400)
                .contentType(PROBLEM);
        createEndpoint(Map.of("provider", "yclients", "eventTypes", List.of("record.\u0000create"))).statusCode(400);
        admin().queryParam("type", "a\u0000b").when().get(ADMIN + "/events").then().statusCode(400).body("errors[0].field", equalTo("type"));
        admin().queryParam("provider", "\u0000").when().get(ADMIN + "/endpoints").then().statusCode(400).contentType(PROBLEM);
        admin().contentType(ContentType.JSON).body("{\"provider\": ").when().post(ADMIN + "/endpoints")
                .then().statusCode(400).contentType(PROBLEM);
        admin().contentType(ContentType.JSON).body("{\"provider\": \"yclients\", \"integrationId\": 42}")
                .when().post(ADMIN + "/endpoints").then().statusCode(400).contentType(PROBLEM);
        createEndpoint(Map.of("provider", "yclients", "providerAccount", "dup-" + UUID.randomUUID()))
                .statusCode(201);
        String account = "dup-" + UUID.randomUUID();
        createEndpoint(Map.of("provider", "yclients", "providerAccount", account)).statusCode(201);
        createEndpoint(Map.of("provider", "yclients", "providerAccount", account)).statusCode(409).contentType(PROBLEM);
    }

    @Test
    void shouldListInspectAndReplayStoredEvents() throws Exception {
        UUID integration = UUID.randomUUID();
        String account = "acct_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String secret = "whsec_" + UUID.randomUUID();
        String url = createEndpoint(Map.of("provider", "stripe", "integrationId", integration.toString(),
                "providerAccount", account, "secrets", List.of(secret))).statusCode(201).extract().path("url");
        Instant from = Instant.now().minusSeconds(1);
        List<String> eventIds = List.of(stripeEventId(), stripeEventId(), stripeEventId());
        for (String eventId : eventIds) {
            String body = stripeEvent(eventId, account);
            given().contentType(ContentType.JSON).header("Stripe-Signature", Webhook.Signature.generateSignatureHeader(body, secret))
                    .header("Authorization", "Bearer must-not-be-stored")
                    .body(body).when().post(url).then().statusCode(200);
        }
        eventIds.forEach(this::published);
        Instant to = Instant.now().plusSeconds(1);

        var page = admin().when().get(ADMIN + "/events?provider=stripe&integrationId=" + integration + "&limit=2")
                .then().statusCode(200).body("items.size()", equalTo(2)).body("next", notNullValue()).extract();
        String id = page.path("items[0].id");
        assertThat((String) page.path("items[0].providerEventId")).isEqualTo(eventIds.get(2));
        admin().when().get(ADMIN + "/events?integrationId=" + integration + "&after=" + page.path("next"))
                .then().statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].providerEventId", equalTo(eventIds.get(0)));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> admin().when().get(ADMIN + "/events/" + id)
                .then().statusCode(200)
                .body("event.published", equalTo(true))
                .body("event.verification", equalTo("signature"))
                .body("payload.data.object.amount", equalTo(120050))
                .body("headers", hasKey("stripe-signature"))
                .body("headers", not(hasKey("authorization"))));

        admin().when().post(ADMIN + "/events/" + id + "/replay").then().statusCode(200).body("replayed", equalTo(1));
        List<TopicRecord> twice = KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 2,
                record -> record.value().contains(eventIds.get(2)), Duration.ofSeconds(30));
        assertThat(twice).hasSize(2);
        assertThat(twice.get(0).header("ce_id")).isNotEqualTo(twice.get(1).header("ce_id"));
        assertThat(EventCodec.fromJson(twice.get(1).value(), WebhookReceived.class).eventId()).isEqualTo(UUID.fromString(id));
        admin().when().get(ADMIN + "/events/" + id).then().body("event.replays", equalTo(1));

        admin().contentType(ContentType.JSON).body(Map.of("integrationId", integration.toString(),
                        "from", from.toString(), "to", to.toString()))
                .when().post(ADMIN + "/events/replay").then().statusCode(200).body("replayed", equalTo(3));
        assertThat(KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 2,
                record -> record.value().contains(eventIds.get(0)), Duration.ofSeconds(30))).hasSize(2);

        admin().contentType(ContentType.JSON).body(Map.of("from", from.toString(), "to", to.toString()))
                .when().post(ADMIN + "/events/replay").then().statusCode(400).contentType(PROBLEM);
        admin().contentType(ContentType.JSON).body(Map.of("provider", "stripe", "from", to.toString(), "to", from.toString()))
                .when().post(ADMIN + "/events/replay").then().statusCode(400);
        admin().when().get(ADMIN + "/events?from=yesterday").then().statusCode(400).body("errors[0].field", equalTo("from"));
        admin().when().get(ADMIN + "/events?verification=maybe").then().statusCode(400);
        admin().when().get(ADMIN + "/events?integrationId=42").then().statusCode(400);
        admin().when().get(ADMIN + "/events?after=garbage").then().statusCode(400);
        admin().when().get(ADMIN + "/events/" + UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM);
        admin().when().post(ADMIN + "/events/" + UUID.randomUUID() + "/replay").then().statusCode(404);
    }

    private WebhookReceived published(String eventId) {
        List<TopicRecord> records = KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 1,
                record -> record.value().contains(eventId), Duration.ofSeconds(30));
        assertThat(records).hasSize(1);
        return EventCodec.fromJson(records.get(0).value(), WebhookReceived.class);
    }

    private static ValidatableResponse createEndpoint(Map<String, Object> request) {
        return admin().contentType(ContentType.JSON).body(request).when().post(ADMIN + "/endpoints").then();
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().oauth2(token("operator-1", Set.of("user", "admin")));
    }

    private static String token(String subject, Set<String> groups) {
        return OidcWiremockTestResource.generateJwtToken(subject, groups, subject);
    }

    private static ValidatableResponse deliver(String url, String body, String signature) {
        return given().contentType(ContentType.JSON).header("Stripe-Signature", signature).body(body)
                .when().post(url).then();
    }

    private static String stripeEventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String stripeEvent(String id, String account) {
        return "{\"id\": \"" + id + "\", \"object\": \"event\", \"type\": \"payout.paid\", \"account\": \"" + account
                + "\", \"created\": 1763700000, \"data\": {\"object\": {\"id\": \"po_1\", \"object\": \"payout\", "
                + "\"amount\": 120050, \"currency\": \"gbp\"}}}";
    }
}
