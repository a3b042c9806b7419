package io.tributary.webhook.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import io.tributary.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.UUID;

/**
 * Encrypts an endpoint's signing secrets with Tink AEAD (AES-256-GCM), bound to the endpoint by
 * the associated data: a ciphertext copied to another endpoint does not decrypt. Rotating the
 * keyset is a configuration change (new primary key; old keys still decrypt).
 */
@ApplicationScoped
public class EndpointSecrets {

    private static final TypeReference<List<String>> SECRETS = new TypeReference<>() {
    };

    private final Aead aead;
    private final ObjectMapper mapper;

    public EndpointSecrets(WebhookConfig config, ObjectMapper mapper) {
        this.mapper = mapper;
        try {
            AeadConfig.register();
            this.aead = TinkJsonProtoKeysetFormat.parseKeyset(config.secretsKeyset(), InsecureSecretKeyAccess.get())
                    .getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            // the message could describe key material: say only what is wrong
            throw new IllegalStateException("webhook.secrets-keyset is not a valid Tink AEAD keyset");
        }
    }

    public byte[] seal(List<String> secrets, UUID endpoint) {
        try {
            return aead.encrypt(mapper.writeValueAsBytes(secrets), associatedData(endpoint));
        } catch (Exception e) {
            throw new IllegalStateException("Encrypting the secrets of endpoint " + endpoint + " failed");
        }
    }

    public List<String> open(byte[] sealed, UUID endpoint) {
        try {
            return mapper.readValue(aead.decrypt(sealed, associatedData(endpoint)), SECRETS);
        } catch (Exception e) {
            throw new IllegalStateException("The secrets of endpoint " + endpoint + " do not decrypt with this keyset");
        }
    }

    private static byte[] associatedData(UUID endpoint) {
        return ("webhook-endpoint/" + endpoint + "/secrets").getBytes(StandardCharsets.UTF_8);
    }
}
