package io.tributary.webhook;

import com.stripe.net.Webhook;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.WebhookReceived;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.testsupport.TopicRecord;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(WebhookSecretsTestResource.class)
@WithTestResource(ProviderStubsTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
class WebhookIntakeTest {

    private static final String PROBLEM = "application/problem+json";

    @ConfigProperty(name = "test.stripe.secrets")
    List<String> stripeSecrets;

    @ConfigProperty(name = "test.standard-webhooks.secrets")
    String standardSecret;

    @Inject
    Pool pool;

    @Test
    void shouldStoreAndPublishAVerifiedStripeEventOnceEvenWhenReplayed() throws Exception {
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String body = stripeEvent(eventId, "acct_1Nv0FGQ9RKHgCVdK");
        String header = Webhook.Signature.generateSignatureHeader(body, stripeSecrets.get(0));

        stripe(body, header).statusCode(200).body("status", equalTo("accepted"));
        stripe(body, header).statusCode(200).body("status", equalTo("duplicate"));

        assertThat(rows(eventId)).isEqualTo(1);
        List<TopicRecord> published = KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 1,
                record -> record.value().contains(eventId), Duration.ofSeconds(30));
        assertThat(published).hasSize(1);
        assertThat(published.get(0).key()).isEqualTo("stripe:acct_1Nv0FGQ9RKHgCVdK");
        WebhookReceived event = EventCodec.fromJson(published.get(0).value(), WebhookReceived.class);
        assertThat(event.providerEventId()).isEqualTo(eventId);
        assertThat(event.eventType()).isEqualTo("payout.paid");
        assertThat(event.payload().at("/data/object/amount").asLong()).isEqualTo(120050);
        assertThat(KafkaTopics.readAll(Topics.WEBHOOK_RECEIVED, Duration.ofSeconds(1)).stream()
                .filter(record -> record.value().contains(eventId))).hasSize(1);
    }

    @Test
    void shouldStoreAndPublishEachOfManyConcurrentDeliveriesOnceWhenTheyAreWrittenInGroups() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        List<java.util.concurrent.CompletableFuture<String>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String body = stripeEvent("evt_" + run + "_" + i, "acct_group" + (i % 7));
            String header = Webhook.Signature.generateSignatureHeader(body, stripeSecrets.get(0));
            for (int copy = 0; copy < 2; copy++) {
                answers.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                                                + "/api/integrations/webhooks/stripe"))
                                .header("Content-Type", "application/json").header("Stripe-Signature", header)
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                        .thenApply(response -> response.statusCode() + " " + response.body()));
            }
        }
        List<String> outcomes = answers.stream().map(java.util.concurrent.CompletableFuture::join).toList();

        assertThat(outcomes).filteredOn(answer -> answer.equals("200 {\"status\":\"accepted\"}")).hasSize(100);
        assertThat(outcomes).filteredOn(answer -> answer.equals("200 {\"status\":\"duplicate\"}")).hasSize(100);
        assertThat(count("SELECT count(*) FROM webhook.webhook_events WHERE provider_event_id LIKE 'evt_" + run + "_%'"))
                .isEqualTo(100);
        List<TopicRecord> published = KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 100,
                record -> record.value().contains("evt_" + run + "_"), Duration.ofSeconds(30));
        assertThat(published.stream().map(record -> EventCodec.fromJson(record.value(), WebhookReceived.class)
                .providerEventId()).distinct()).hasSize(100);
        assertThat(KafkaTopics.readAll(Topics.WEBHOOK_RECEIVED, Duration.ofSeconds(1)).stream()
                .filter(record -> record.value().contains("evt_" + run + "_"))).hasSize(100);
    }

    @Test
    void shouldAcceptTheSecondSecretDuringARotation() throws Exception {
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String body = stripeEvent(eventId, null);

        stripe(body, Webhook.Signature.generateSignatureHeader(body, stripeSecrets.get(1))).statusCode(200);

        assertThat(rows(eventId)).isEqualTo(1);
    }

    @Test
    void shouldRefuseForgedTamperedStaleAndUnsignedStripeDeliveriesAndStoreNothing() throws Exception {
        String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
        String body = stripeEvent(eventId, null);
        String header = Webhook.Signature.generateSignatureHeader(body, stripeSecrets.get(0));

        stripe(body.replace("120050", "999999"), header).statusCode(401).contentType(PROBLEM);
        stripe(body, Webhook.Signature.generateSignatureHeader(body, "whsec_not_ours")).statusCode(401);
        stripe(body, Webhook.Signature.generateSignatureHeader(body, stripeSecrets.get(0),
                Instant.now().minusSeconds(400).getEpochSecond())).statusCode(401);
        given().contentType(ContentType.JSON).body(body).when().post("/api/integrations/webhooks/stripe")
                .then().statusCode(401).contentType(PROBLEM);
        stripe(body, "t=abc,v1=zz").statusCode(401);

        assertThat(rows(eventId)).isZero();
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("integrations_webhooks_total{provider=\"stripe\",result=\"bad_signature\"}"))
                .body(containsString("integrations_webhooks_total{provider=\"stripe\",result=\"stale\"}"));
    }

    @Test
    void shouldAnswerBadInputWithClearProblems() throws Exception {
        String notJson = "this is { not json";
        stripe(notJson, Webhook.Signature.generateSignatureHeader(notJson, stripeSecrets.get(0)))
                .statusCode(400).contentType(PROBLEM);
        given().contentType(ContentType.JSON).body("{}").when().post("/api/integrations/webhooks/nobody-we-know")
                .then().statusCode(404).contentType(PROBLEM);
        given().contentType(ContentType.TEXT).header("Stripe-Signature", "t=1,v1=00").body("{}")
                .when().post("/api/integrations/webhooks/stripe")
                .then().statusCode(415).contentType(PROBLEM);
        String huge = "{\"id\": \"evt_huge\", \"pad\": \"" + "x".repeat(1_100_000) + "\"}";
        stripe(huge, Webhook.Signature.generateSignatureHeader(huge, stripeSecrets.get(0)))
                .statusCode(413).contentType(PROBLEM);
        assertThat(rows("evt_huge")).isZero();
        String accepted = stripeEvent("evt_" + UUID.randomUUID().toString().replace("-", ""), null);
        stripe(accepted, Webhook.Signature.generateSignatureHeader(accepted, stripeSecrets.get(0))).statusCode(200);
        given().when().get("/q/metrics").then()
                .body(containsString("integrations_webhooks_total{provider=\"stripe\",result=\"too_large\"}"))
                .body(containsString("integrations_webhook_intake_seconds_bucket{outcome=\"accepted\",provider=\"stripe\""));
    }

    @Test
    void shouldVerifyStandardWebhooksInBothTimeDirections() throws Exception {
        String messageId = "msg_" + UUID.randomUUID();
        String body = "{\"type\": \"invoice.paid\", \"data\": {\"id\": \"inv_1\"}}";
        long now = Instant.now().getEpochSecond();

        standardWebhook(messageId, now - 400, body).statusCode(401);
        standardWebhook(messageId, now + 400, body).statusCode(401);
        standardWebhook(messageId, now, body).statusCode(200).body("status", equalTo("accepted"));
        standardWebhook(messageId, now, body).statusCode(200).body("status", equalTo("duplicate"));

        assertThat(rows(messageId)).isEqualTo(1);
        List<TopicRecord> published = KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 1,
                record -> record.value().contains(messageId), Duration.ofSeconds(30));
        assertThat(published).hasSize(1);
        assertThat(EventCodec.fromJson(published.get(0).value(), WebhookReceived.class).eventType())
                .isEqualTo("invoice.paid");
    }

    @Test
    void shouldNeverAnswer5xxNorStoreAnythingForRandomInput() {
        Random random = new Random(20261121);
        long before = count("SELECT count(*) FROM webhook.webhook_events");
        for (int i = 0; i < 300; i++) {
            byte[] bytes = new byte[random.nextInt(2_000)];
            random.nextBytes(bytes);
            String route = List.of("stripe", "example-sw", "unknown", "stripe/ep_" + i, "quickbooks", "xero", "hubspot",
                    "paypal", "amocrm", "yclients/" + "x".repeat(43)).get(i % 10);
            String contentType = List.of("application/json", "application/json; charset=ISO-8859-1",
                    "text/plain", "application/octet-stream", "application/x-www-form-urlencoded").get(random.nextInt(5));
            // random bytes go out as they are, whatever the declared type
            int status = given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                            .encodeContentTypeAs("application/x-www-form-urlencoded", ContentType.BINARY)))
                    .contentType(contentType)
                    .header("Stripe-Signature", "t=" + random.nextLong() + ",v1=" + Long.toHexString(random.nextLong()))
                    .header("webhook-id", "x".repeat(random.nextInt(5_000)))
                    .header("webhook-timestamp", Long.toString(random.nextLong()))
                    .header("webhook-signature", "v1," + Base64.getEncoder().encodeToString(bytes))
                    .header("intuit-signature", Base64.getEncoder().encodeToString(bytes))
                    .header("x-xero-signature", "%%not-base64%%")
                    .header("X-HubSpot-Signature-v3", "abc").header("X-HubSpot-Request-Timestamp", "soon")
                    .header("PAYPAL-TRANSMISSION-ID", "x").header("PAYPAL-TRANSMISSION-TIME", "yesterday")
                    .header("PAYPAL-TRANSMISSION-SIG", Base64.getEncoder().encodeToString(bytes))
                    .header("PAYPAL-CERT-URL", "http://localhost:1/" + i).header("PAYPAL-AUTH-ALGO", "SHA256withRSA")
                    .body(bytes)
                    .when().post("/api/integrations/webhooks/" + route)
                    .then().extract().statusCode();
            assertThat(status).as("status for input " + i).isBetween(400, 499);
        }
        assertThat(count("SELECT count(*) FROM webhook.webhook_events")).isEqualTo(before);
    }

    @ConfigProperty(name = "test.hmac.secret")
    String hmacSecret;

    @Test
    void shouldAnswerXerosIntentToReceiveExactlyAndStoreRealXeroEvents() throws Exception {
        String ping = "{\"events\":[],\"lastEventSequence\":0,\"firstEventSequence\":0,\"entropy\":\"" + UUID.randomUUID() + "\"}";
        long before = count("SELECT count(*) FROM webhook.webhook_events WHERE provider = 'xero'");

        String empty = given().contentType(ContentType.JSON).header("x-xero-signature", hmacBase64(ping)).body(ping)
                .when().post("/api/integrations/webhooks/xero")
                .then().statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(empty).isEmpty();
        given().contentType(ContentType.JSON).header("x-xero-signature", hmacBase64(ping + " ")).body(ping)
                .when().post("/api/integrations/webhooks/xero").then().statusCode(401);
        assertThat(count("SELECT count(*) FROM webhook.webhook_events WHERE provider = 'xero'")).isEqualTo(before);

        String tenant = UUID.randomUUID().toString();
        String event = "{\"events\":[{\"resourceUrl\":\"https://api.xero.com/api.xro/2.0/Invoices/1\",\"resourceId\":\"1\","
                + "\"eventDateUtc\":\"2026-11-21T10:00:00\",\"eventType\":\"UPDATE\",\"eventCategory\":\"INVOICE\","
                + "\"tenantId\":\"" + tenant + "\",\"tenantType\":\"ORGANISATION\"}],\"firstEventSequence\":7,"
                + "\"lastEventSequence\":7,\"entropy\":\"abc\"}";
        given().contentType(ContentType.JSON).header("x-xero-signature", hmacBase64(event)).body(event)
                .when().post("/api/integrations/webhooks/xero").then().statusCode(200);
        List<TopicRecord> published = KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 1,
                record -> record.value().contains(tenant), Duration.ofSeconds(30));
        assertThat(published).hasSize(1);
        assertThat(published.get(0).key()).isEqualTo("xero:" + tenant);
        assertThat(EventCodec.fromJson(published.get(0).value(), WebhookReceived.class).eventType())
                .isEqualTo("INVOICE.UPDATE");
    }

    @Test
    void shouldTakeBothQuickBooksPayloadFormatsKeyedByRealm() throws Exception {
        String realm = Long.toString(Math.abs(new Random().nextLong() % 1_000_000_000L));
        String legacy = "{\"eventNotifications\":[{\"realmId\":\"" + realm + "\",\"dataChangeEvent\":{\"entities\":"
                + "[{\"id\":\"1234\",\"operation\":\"Create\",\"name\":\"Account\",\"lastUpdated\":\"2026-11-21T20:52:31.657Z\"}]}}]}";
        String cloudEvents = "[{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"intuit.test\","
                + "\"type\":\"qbo.invoice.updated.v1\",\"time\":\"2026-11-21T21:31:25Z\",\"intuitentityid\":\"77\","
                + "\"intuitaccountid\":\"" + realm + "\",\"data\":{}}]";

        for (String body : List.of(legacy, cloudEvents)) {
            given().contentType(ContentType.JSON).header("intuit-signature", hmacBase64(body)).body(body)
                    .when().post("/api/integrations/webhooks/quickbooks").then().statusCode(200);
            given().contentType(ContentType.JSON).header("intuit-signature", hmacBase64(body)).body(body)
                    .when().post("/api/integrations/webhooks/quickbooks")
                    .then().statusCode(200).body("status", equalTo("duplicate"));
        }

        List<TopicRecord> published = KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 2,
                record -> record.key().equals("quickbooks:" + realm), Duration.ofSeconds(30));
        assertThat(published).hasSize(2);
        assertThat(published.stream().map(record -> EventCodec.fromJson(record.value(), WebhookReceived.class).eventType()))
                .containsExactlyInAnyOrder("eventNotifications", "qbo.invoice.updated.v1");
    }

    private String hmacBase64(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(hmacSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private io.restassured.response.ValidatableResponse stripe(String body, String signature) {
        return given().contentType(ContentType.JSON).header("Stripe-Signature", signature).body(body)
                .when().post("/api/integrations/webhooks/stripe").then();
    }

    private io.restassured.response.ValidatableResponse standardWebhook(String id, long timestamp, String body)
            throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(standardSecret.substring("whsec_".length())),
                "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(
                mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        return given().contentType(ContentType.JSON)
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", "v1,bm90IHRoaXMgb25l v1," + signature)
                .body(body)
                .when().post("/api/integrations/webhooks/example-sw").then();
    }

    private static String stripeEvent(String id, String account) {
        return "{\n  \"id\": \"" + id + "\",\n  \"object\": \"event\",\n  \"type\": \"payout.paid\",\n"
                + (account == null ? "" : "  \"account\": \"" + account + "\",\n")
                + "  \"data\": {\"object\": {\"id\": \"po_1\", \"object\": \"payout\", \"amount\": 120050, "
                + "\"currency\": \"gbp\"}}\n}";
    }

    private long rows(String eventId) {
        return pool.preparedQuery("SELECT count(*) FROM webhook.webhook_events WHERE provider_event_id = $1")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private long count(String sql) {
        return pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
