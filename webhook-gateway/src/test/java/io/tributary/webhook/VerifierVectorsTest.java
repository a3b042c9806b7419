package io.tributary.webhook;

import io.tributary.webhook.verification.SignatureRejected;
import io.tributary.webhook.verification.StandardWebhooksVerifier;
import io.tributary.webhook.verification.StripeSignatureVerifier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The published vectors of shared/providers.md section 3, checked against our verifiers. */
class VerifierVectorsTest {

    private static final Duration TOLERANCE = Duration.ofSeconds(300);

    @Test
    void shouldAcceptTheStandardWebhooksReferenceVector() {
        Map<String, String> headers = Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "webhook-timestamp", "1614265330",
                "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        List<String> secret = List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        StandardWebhooksVerifier verifier = new StandardWebhooksVerifier();

        assertThatCode(() -> verifier.verify(headers::get, body, secret, TOLERANCE, Instant.ofEpochSecond(1614265330)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.verify(headers::get, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8),
                secret, TOLERANCE, Instant.ofEpochSecond(1614265330)))
                .isInstanceOf(SignatureRejected.class).hasMessageContaining("no v1 signature");
        assertThatThrownBy(() -> verifier.verify(headers::get, body, secret, TOLERANCE,
                Instant.ofEpochSecond(1614265330 - 301)))
                .isInstanceOf(SignatureRejected.class).hasMessageContaining("tolerance");
    }

    @Test
    void shouldAcceptTheComputedStripeVector() {
        byte[] body = "{\n  \"id\": \"evt_test_webhook\",\n  \"object\": \"event\"\n}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("Stripe-Signature",
                "t=1700000000,v1=4f1cd7feda9826e746b7d482c4badebb657398df1099e1046364f6196a230150");
        StripeSignatureVerifier verifier = new StripeSignatureVerifier();

        assertThatCode(() -> verifier.verify(headers::get, body, List.of("whsec_test_secret"), TOLERANCE,
                Instant.ofEpochSecond(1700000100))).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.verify(headers::get, body, List.of("whsec_other"), TOLERANCE,
                Instant.ofEpochSecond(1700000100))).isInstanceOf(SignatureRejected.class);
        assertThatThrownBy(() -> verifier.verify(headers::get, body, List.of("whsec_test_secret"), TOLERANCE,
                Instant.ofEpochSecond(1700000400))).isInstanceOf(SignatureRejected.class)
                .hasMessageContaining("300");
    }
}
