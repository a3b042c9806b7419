package io.tributary.webhook;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/** Signing secrets generated for this run: two for Stripe (as during a rotation), one Standard Webhooks key. */
public class WebhookSecretsTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Map.of(
                "test.stripe.secrets", "whsec_" + UUID.randomUUID() + ",whsec_" + UUID.randomUUID(),
                "test.standard-webhooks.secrets", "whsec_" + Base64.getEncoder().encodeToString(key),
                "test.hmac.secret", "hmac-" + UUID.randomUUID(),
                "test.paypal.webhook-ids", "WH-" + UUID.randomUUID() + ",WH-" + UUID.randomUUID());
    }

    @Override
    public void stop() {
    }
}
