package io.tributary.webhook;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.tributary.contracts.EventCodec;
import io.tributary.contracts.Topics;
import io.tributary.contracts.event.WebhookReceived;
import io.tributary.testsupport.InfrastructureTestResource;
import io.tributary.testsupport.KafkaTopics;
import io.tributary.testsupport.TopicRecord;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(WebhookSecretsTestResource.class)
@WithTestResource(ProviderStubsTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
class PlaidWebhookTest {

    private static final String PROBLEM = "application/problem+json";

    @ProviderStub
    WireMockServer plaid;

    @Test
    void shouldAcceptAPlaidWebhookSignedWithItsCurrentKeyAndFetchTheKeyOnce() throws Exception {
        EllipticCurveJsonWebKey key = plaidKey(false);
        String item = "item-" + UUID.randomUUID();
        String body = "{\n  \"webhook_type\": \"TRANSACTIONS\",\n  \"webhook_code\": \"SYNC_UPDATES_AVAILABLE\",\n"
                + "  \"item_id\": \"" + item + "\",\n  \"initial_update_complete\": true\n}";
        String again = body.replace("true", "false");

        deliver(body, sign(key, body, Instant.now())).statusCode(200).body("status", equalTo("accepted"));
        deliver(body, sign(key, body, Instant.now())).statusCode(200).body("status", equalTo("duplicate"));
        deliver(again, sign(key, again, Instant.now())).statusCode(200).body("status", equalTo("accepted"));

        plaid.verify(1, postRequestedFor(urlEqualTo("/webhook_verification_key/get"))
                .withRequestBody(matchingJsonPath("$.key_id", equalToJson(key.getKeyId()))));
        List<TopicRecord> published = KafkaTopics.read(Topics.WEBHOOK_RECEIVED, 2,
                record -> record.key().equals("plaid:" + item), Duration.ofSeconds(30));
        assertThat(published).hasSize(2);
        assertThat(EventCodec.fromJson(published.get(0).value(), WebhookReceived.class).eventType())
                .isEqualTo("TRANSACTIONS.SYNC_UPDATES_AVAILABLE");
    }

    @Test
    void shouldRefuseTamperedStaleAndWronglySignedPlaidWebhooks() throws Exception {
        EllipticCurveJsonWebKey key = plaidKey(false);
        String body = "{\"webhook_type\": \"ITEM\", \"webhook_code\": \"ERROR\", \"item_id\": \"item-" + UUID.randomUUID() + "\"}";

        deliver(body.replace("ERROR", "LOGIN_REPAIRED"), sign(key, body, Instant.now())).statusCode(401).contentType(PROBLEM);
        deliver(body, sign(key, body, Instant.now().minusSeconds(360))).statusCode(401);
        deliver(body, unsigned(key.getKeyId(), body)).statusCode(401);
        deliver(body, hmacSigned(key.getKeyId(), body)).statusCode(401);
        deliver(body, sign(plaidKey(true), body, Instant.now())).statusCode(401); // Plaid expired that key
        EllipticCurveJsonWebKey unknownToPlaid = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        unknownToPlaid.setKeyId("kid-" + UUID.randomUUID());
        plaid.stubFor(post("/webhook_verification_key/get")
                .withRequestBody(matchingJsonPath("$.key_id", equalToJson(unknownToPlaid.getKeyId())))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error_type\": \"INVALID_INPUT\", \"error_code\": \"INVALID_WEBHOOK_VERIFICATION_KEY_ID\"}")));
        deliver(body, sign(unknownToPlaid, body, Instant.now())).statusCode(401);
        given().contentType(ContentType.JSON).body(body).when().post("/api/integrations/webhooks/plaid")
                .then().statusCode(401);
    }

    /** A key Plaid serves (or has expired), registered with the stub. */
    private EllipticCurveJsonWebKey plaidKey(boolean expired) throws Exception {
        EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId("kid-" + UUID.randomUUID());
        key.setUse("sig");
        key.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        String jwk = key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        String response = "{\"key\": " + jwk.substring(0, jwk.length() - 1) + ", \"created_at\": 1700000000, "
                + "\"expired_at\": " + (expired ? "1700000500" : "null") + "}, \"request_id\": \"req-1\"}";
        plaid.stubFor(post("/webhook_verification_key/get")
                .withRequestBody(matchingJsonPath("$.key_id", equalToJson(key.getKeyId())))
                .willReturn(okJson(response)));
        return key;
    }

    private static String sign(EllipticCurveJsonWebKey key, String body, Instant issuedAt) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(body, issuedAt));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setKey(key.getPrivateKey());
        return jws.getCompactSerialization();
    }

    private static String unsigned(String kid, String body) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(body, Instant.now()));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        return jws.getCompactSerialization();
    }

    private static String hmacSigned(String kid, String body) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(body, Instant.now()));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKeyIdHeaderValue(kid);
        jws.setKey(new HmacKey(new byte[32]));
        return jws.getCompactSerialization();
    }

    private static String claims(String body, Instant issuedAt) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(StandardCharsets.UTF_8)));
        return "{\"iat\": " + issuedAt.getEpochSecond() + ", \"request_body_sha256\": \"" + sha + "\"}";
    }

    private static io.restassured.response.ValidatableResponse deliver(String body, String jwt) {
        return given().contentType(ContentType.JSON).header("Plaid-Verification", jwt).body(body)
                .when().post("/api/integrations/webhooks/plaid").then();
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern equalToJson(String value) {
        return com.github.tomakehurst.wiremock.client.WireMock.equalTo(value);
    }
}
