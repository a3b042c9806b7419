package io.tributary.webhook;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.config.HeaderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.WebhookReceived;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.testsupport.TopicRecord;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(WebhookSecretsTestResource.class)
@WithTestResource(ProviderStubsTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
class PayPalWebhookTest {

    private static final String PROBLEM = "application/problem+json";

    @ProviderStub
    WireMockServer stub;

    @ConfigProperty(name = "test.paypal.webhook-ids")
    List<String> webhookIds;

    @Inject
    Pool pool;

    /** PayPal's signing key and the certificate the stub serves for it. */
    private record Signer(KeyPair keys, String certUrl) {
    }

    @Test
    void shouldAcceptAPayPalEventSignedWithTheServedCertificateOnceAndFetchTheCertificateOnce() throws Exception {
        Signer signer = signer(Instant.now().plus(30, ChronoUnit.DAYS));
        String eventId = "WH-EVT-" + UUID.randomUUID();
        String body = event(eventId);

        deliver(body, signer, webhookIds.get(0), Instant.now()).statusCode(200).body("status", equalTo("accepted"));
        deliver(body, signer, webhookIds.get(0), Instant.now()).statusCode(200).body("status", equalTo("duplicate"));
        // the second webhook id, as while an endpoint is moved
        String other = event("WH-EVT-" + UUID.randomUUID());
        deliver(other, signer, webhookIds.get(1), Instant.now()).statusCode(200).body("status", equalTo("accepted"));

        stub.verify(1, getRequestedFor(urlEqualTo(path(signer))));
        assertThat(rows(eventId)).isEqualTo(1);
        List<TopicRecord> published = KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 1,
                record -> record.value().contains(eventId), Duration.ofSeconds(30));
        assertThat(published).hasSize(1);
        assertThat(published.get(0).key()).isEqualTo("paypal:");
        WebhookReceived received = EventCodec.fromJson(published.get(0).value(), WebhookReceived.class);
        assertThat(received.eventType()).isEqualTo("PAYMENT.CAPTURE.COMPLETED");
        assertThat(received.payload().at("/resource/amount/value").asText()).isEqualTo("10.99");
    }

    @Test
    void shouldRefuseTamperedWronglySignedStaleAndOddlyNamedDeliveries() throws Exception {
        Signer signer = signer(Instant.now().plus(30, ChronoUnit.DAYS));
        String eventId = "WH-EVT-" + UUID.randomUUID();
        String body = event(eventId);

        deliver(body.replace("10.99", "1099.00"), signer, webhookIds.get(0), Instant.now(), body).statusCode(401)
                .contentType(PROBLEM);
        deliver(body, signer, "WH-SOMEONE-ELSES", Instant.now()).statusCode(401);
        deliver(body, signer, webhookIds.get(0), Instant.now().minusSeconds(400)).statusCode(401);
        deliver(body, signer, webhookIds.get(0), Instant.now().plusSeconds(400)).statusCode(401);
        Signer expired = signer(Instant.now().minus(1, ChronoUnit.DAYS));
        deliver(body, expired, webhookIds.get(0), Instant.now()).statusCode(401);
        given().contentType(ContentType.JSON).body(body).when().post("/api/integrations/webhooks/paypal")
                .then().statusCode(401).contentType(PROBLEM);
        signed(body, signer, webhookIds.get(0), Instant.now(), body).header("PAYPAL-AUTH-ALGO", "SHA1withRSA")
                .when().post("/api/integrations/webhooks/paypal").then().statusCode(401);

        assertThat(rows(eventId)).isZero();
    }

    @Test
    void shouldNeverRequestACertificateFromAHostThatIsNotPayPals() throws Exception {
        Signer signer = signer(Instant.now().plus(30, ChronoUnit.DAYS));
        String body = event("WH-EVT-" + UUID.randomUUID());
        String elsewhere = signer.certUrl().replace("localhost", "127.0.0.1");
        String credentials = signer.certUrl().replace("localhost", "user@localhost");

        for (String url : List.of(elsewhere, credentials, "file:///etc/passwd", "https://api.paypal.com.evil.example/c",
                "not a url at all")) {
            signed(body, signer, webhookIds.get(0), Instant.now(), body).header("PAYPAL-CERT-URL", url)
                    .when().post("/api/integrations/webhooks/paypal").then().statusCode(401).contentType(PROBLEM);
        }

        stub.verify(0, getRequestedFor(urlEqualTo(path(signer))));
    }

    private Signer signer(Instant notAfter) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=messageverificationcerts.paypal.com");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                subject, BigInteger.valueOf(System.nanoTime()), Date.from(Instant.now().minus(60, ChronoUnit.DAYS)),
                Date.from(notAfter), subject, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(certificate);
        }
        String path = "/v1/notifications/certs/CERT-" + UUID.randomUUID();
        stub.stubFor(get(path).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-x509-ca-cert").withBody(pem.toString())));
        return new Signer(keys, stub.baseUrl() + path);
    }

    private static String path(Signer signer) {
        return signer.certUrl().substring(signer.certUrl().indexOf("/v1/"));
    }

    private ValidatableResponse deliver(String body, Signer signer, String webhookId, Instant sentAt) throws Exception {
        return deliver(body, signer, webhookId, sentAt, body);
    }

    /** Delivers {@code body} with a signature computed over {@code signedBody}. */
    private ValidatableResponse deliver(String body, Signer signer, String webhookId, Instant sentAt, String signedBody)
            throws Exception {
        return signed(body, signer, webhookId, sentAt, signedBody).when().post("/api/integrations/webhooks/paypal").then();
    }

    private io.restassured.specification.RequestSpecification signed(String body, Signer signer, String webhookId,
            Instant sentAt, String signedBody) throws Exception {
        String transmissionId = UUID.randomUUID().toString();
        String time = sentAt.truncatedTo(ChronoUnit.SECONDS).toString();
        CRC32 crc = new CRC32();
        crc.update(signedBody.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(signer.keys().getPrivate());
        rsa.update((transmissionId + "|" + time + "|" + webhookId + "|" + crc.getValue()).getBytes(StandardCharsets.UTF_8));
        // a test may replace a header; RestAssured would otherwise send both values
        return given().config(RestAssured.config().headerConfig(HeaderConfig.headerConfig()
                        .overwriteHeadersWithName("PAYPAL-CERT-URL", "PAYPAL-AUTH-ALGO")))
                .contentType(ContentType.JSON)
                .header("PAYPAL-TRANSMISSION-ID", transmissionId)
                .header("PAYPAL-TRANSMISSION-TIME", time)
                .header("PAYPAL-TRANSMISSION-SIG", Base64.getEncoder().encodeToString(rsa.sign()))
                .header("PAYPAL-CERT-URL", signer.certUrl())
                .header("PAYPAL-AUTH-ALGO", "SHA256withRSA")
                .body(body);
    }

    private static String event(String id) {
        return "{\"id\":\"" + id + "\",\"create_time\":\"2026-11-21T10:00:00.000Z\",\"resource_type\":\"capture\","
                + "\"event_type\":\"PAYMENT.CAPTURE.COMPLETED\",\"summary\":\"Payment completed for $ 10.99 USD\","
                + "\"resource\":{\"id\":\"42311647XV020574X\",\"status\":\"COMPLETED\","
                + "\"amount\":{\"currency_code\":\"USD\",\"value\":\"10.99\"}}}";
    }

    private long rows(String eventId) {
        return pool.preparedQuery("SELECT count(*) FROM webhook.webhook_events WHERE provider_event_id = $1")
                .execute(Tuple.of(eventId)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
