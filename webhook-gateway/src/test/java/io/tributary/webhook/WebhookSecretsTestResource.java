package io.tributary.webhook;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/** Secrets generated for this run: signing secrets (two for Stripe, as during a rotation) and the keyset sealing endpoint secrets. */
public class WebhookSecretsTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Map.of("test.webhook.keyset", keyset(),
                "test.stripe.secrets", "whsec_" + UUID.randomUUID() + ",whsec_" + UUID.randomUUID(),
                "test.standard-webhooks.secrets", "whsec_" + Base64.getEncoder().encodeToString(key),
                "test.hmac.secret", "hmac-" + UUID.randomUUID(),
                "test.paypal.webhook-ids", "WH-" + UUID.randomUUID() + ",WH-" + UUID.randomUUID());
    }

    private static String keyset() {
        try {
            AeadConfig.register();
            return TinkJsonProtoKeysetFormat.serializeKeyset(
                    KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }
}
