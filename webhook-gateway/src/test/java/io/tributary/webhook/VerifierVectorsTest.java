package io.tributary.webhook;

import io.tributary.webhook.verification.HubSpotSignatureVerifier;
import io.tributary.webhook.verification.PayPalSignatureVerifier;
import io.tributary.webhook.verification.QuickBooksSignatureVerifier;
import io.tributary.webhook.verification.SignatureRejected;
import io.tributary.webhook.verification.SignedRequest;
import io.tributary.webhook.verification.StandardWebhooksVerifier;
import io.tributary.webhook.verification.StripeSignatureVerifier;
import io.tributary.webhook.verification.XeroSignatureVerifier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The published and computed vectors of shared/providers.md section 3, against our verifiers. */
class VerifierVectorsTest {

    private static final Duration TOLERANCE = Duration.ofSeconds(300);

    @Test
    void shouldAcceptTheStandardWebhooksReferenceVector() {
        Map<String, String> headers = Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "webhook-timestamp", "1614265330",
                "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        List<String> secret = List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        StandardWebhooksVerifier verifier = new StandardWebhooksVerifier();

        assertThatCode(() -> verifier.check(request(headers, "{\"test\": 2432232314}"), secret, TOLERANCE,
                Instant.ofEpochSecond(1614265330))).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.check(request(headers, "{\"test\": 2432232315}"), secret, TOLERANCE,
                Instant.ofEpochSecond(1614265330))).isInstanceOf(SignatureRejected.class)
                .hasMessageContaining("no v1 signature");
        assertThatThrownBy(() -> verifier.check(request(headers, "{\"test\": 2432232314}"), secret, TOLERANCE,
                Instant.ofEpochSecond(1614265330 - 301))).isInstanceOf(SignatureRejected.class)
                .hasMessageContaining("tolerance");
    }

    @Test
    void shouldAcceptTheComputedStripeVector() {
        String body = "{\n  \"id\": \"evt_test_webhook\",\n  \"object\": \"event\"\n}";
        Map<String, String> headers = Map.of("Stripe-Signature",
                "t=1700000000,v1=4f1cd7feda9826e746b7d482c4badebb657398df1099e1046364f6196a230150");
        StripeSignatureVerifier verifier = new StripeSignatureVerifier();

        assertThatCode(() -> verifier.check(request(headers, body), List.of("whsec_test_secret"), TOLERANCE,
                Instant.ofEpochSecond(1700000100))).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.check(request(headers, body), List.of("whsec_other"), TOLERANCE,
                Instant.ofEpochSecond(1700000100))).isInstanceOf(SignatureRejected.class);
        assertThatThrownBy(() -> verifier.check(request(headers, body), List.of("whsec_test_secret"), TOLERANCE,
                Instant.ofEpochSecond(1700000400))).isInstanceOf(SignatureRejected.class).hasMessageContaining("300");
    }

    @Test
    void shouldAcceptTheComputedQuickBooksVector() {
        String body = "{\"eventNotifications\":[{\"realmId\":\"310687\",\"dataChangeEvent\":{\"entities\":[{\"id\":\"1234\","
                + "\"operation\":\"Create\",\"name\":\"Account\",\"lastUpdated\":\"2025-09-08T20:52:31.657Z\"}]}}]}";
        Map<String, String> headers = Map.of("intuit-signature", "kgp3nHukxxcQC0LMpayHX6Bp1hKNwPSmqCu1/nhLFgE=");
        QuickBooksSignatureVerifier verifier = new QuickBooksSignatureVerifier();

        assertThatCode(() -> verifier.check(request(headers, body), List.of("TEST_VERIFIER_TOKEN"), TOLERANCE,
                Instant.now())).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.check(request(headers, body.replace("310687", "310688")),
                List.of("TEST_VERIFIER_TOKEN"), TOLERANCE, Instant.now())).isInstanceOf(SignatureRejected.class);
    }

    @Test
    void shouldAcceptTheComputedXeroVector() {
        String body = "{\"events\":[],\"lastEventSequence\":0,\"firstEventSequence\":0,\"entropy\":\"S0m3r4Nd0mt3xt\"}";
        Map<String, String> headers = Map.of("x-xero-signature", "e4JA2S7n5RpSbWsCiKDEjBNLqPyTK7TJyUztnDETCUY=");
        XeroSignatureVerifier verifier = new XeroSignatureVerifier();

        assertThatCode(() -> verifier.check(request(headers, body), List.of("TEST_XERO_WEBHOOK_KEY"), TOLERANCE,
                Instant.now())).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.check(request(headers, body), List.of("ANOTHER_KEY"), TOLERANCE,
                Instant.now())).isInstanceOf(SignatureRejected.class);
    }

    @Test
    void shouldSignPayPalsMessageWithTheComputedCrc32Vector() {
        byte[] body = "{\"id\":\"WH-TEST\",\"event_type\":\"PAYMENT.CAPTURE.COMPLETED\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(PayPalSignatureVerifier.signedMessage("tid", "2024-01-01T00:00:00Z", "WH-ID", body))
                .isEqualTo("tid|2024-01-01T00:00:00Z|WH-ID|3391999205");
    }

    @Test
    void shouldAcceptTheComputedHubSpotV3Vector() {
        String body = "[{\"eventId\":1,\"subscriptionId\":12345,\"portalId\":62515,\"occurredAt\":1564113600000,"
                + "\"subscriptionType\":\"contact.creation\",\"attemptNumber\":0,\"objectId\":123,\"changeSource\":\"CRM\","
                + "\"changeFlag\":\"NEW\",\"appId\":54321}]";
        Map<String, String> headers = Map.of("X-HubSpot-Signature-v3", "hXTIlnO+NRAXi3zjafl6gNgX8GpFxGhKrHCtGO9HI7k=",
                "X-HubSpot-Request-Timestamp", "1700000000000");
        HubSpotSignatureVerifier verifier = new HubSpotSignatureVerifier();
        SignedRequest request = new SignedRequest(lookup(headers), "POST", "https://example.com/webhooks/hubspot",
                body.getBytes(StandardCharsets.UTF_8));

        assertThatCode(() -> verifier.check(request, List.of("TEST_CLIENT_SECRET"), TOLERANCE,
                Instant.ofEpochMilli(1700000060000L))).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.check(request, List.of("TEST_CLIENT_SECRET"), TOLERANCE,
                Instant.ofEpochMilli(1700000400001L))).isInstanceOf(SignatureRejected.class)
                .hasMessageContaining("too old");
        SignedRequest otherUri = new SignedRequest(lookup(headers), "POST", "https://example.com/webhooks/other",
                body.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> verifier.check(otherUri, List.of("TEST_CLIENT_SECRET"), TOLERANCE,
                Instant.ofEpochMilli(1700000060000L))).isInstanceOf(SignatureRejected.class);
    }

    private static SignedRequest request(Map<String, String> headers, String body) {
        return new SignedRequest(lookup(headers), "POST", "https://tributary.test/api/integrations/webhooks/x",
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** Header names are case-insensitive, as over HTTP. */
    private static java.util.function.Function<String, String> lookup(Map<String, String> headers) {
        Map<String, String> insensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        insensitive.putAll(headers);
        return insensitive::get;
    }
}
