package io.tributary.oauth.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock standing in for the providers' OAuth endpoints, and the vault's keysets, generated for
 * this run (no key is ever committed): {@code test.vault.old-keyset} has one key, the service's
 * keyset adds a second one as primary, as after a rotation.
 */
public class ProviderStubsTestResource implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().extensions(new PkceVerifierMatcher()));
        server.start();
        try {
            AeadConfig.register();
            KeysetHandle old = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            KeysetHandle rotated = KeysetHandle.newBuilder(old)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build();
            return Map.of(
                    "wiremock.url", server.baseUrl(),
                    "oauth.vault.keyset", TinkJsonProtoKeysetFormat.serializeKeyset(rotated, InsecureSecretKeyAccess.get()),
                    "test.vault.old-keyset", TinkJsonProtoKeysetFormat.serializeKeyset(old, InsecureSecretKeyAccess.get()),
                    "test.xero.client-secret", TestSecrets.remember("xero-secret-" + UUID.randomUUID()),
                    "test.quickbooks.client-secret", TestSecrets.remember("qb-secret-" + UUID.randomUUID()));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot generate the test keysets", e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(ProviderStubs.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
