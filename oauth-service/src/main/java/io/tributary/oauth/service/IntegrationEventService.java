package io.tributary.oauth.service;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.CredentialEventType;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import io.tributary.oauth.Credential;
import io.tributary.oauth.IntegrationRef;
import io.tributary.oauth.client.ProviderTokenClient;
import io.tributary.oauth.config.OAuthConfig;
import io.tributary.oauth.repository.CredentialRepository;
import io.tributary.oauth.repository.IntegrationRefRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;

/**
 * Keeps the projection of integrations this service checks ownership against, and on deletion
 * revokes at the provider, deletes the ciphertexts and announces {@code revoked}.
 */
@ApplicationScoped
public class IntegrationEventService {

    private final IntegrationRefRepository integrations;
    private final CredentialRepository credentials;
    private final CredentialService credentialService;
    private final CredentialVault vault;
    private final ProviderRegistry providers;
    private final ProviderTokenClient client;

    private final OpenBankingConsents consents;

    public IntegrationEventService(IntegrationRefRepository integrations, CredentialRepository credentials,
            CredentialService credentialService, CredentialVault vault, ProviderRegistry providers,
            ProviderTokenClient client, OpenBankingConsents consents) {
        this.consents = consents;
        this.integrations = integrations;
        this.credentials = credentials;
        this.credentialService = credentialService;
        this.vault = vault;
        this.providers = providers;
        this.client = client;
    }

    @WithTransaction
    public Uni<Void> apply(IntegrationEvent event) {
        return integrations.findById(event.integrationId()).flatMap(existing -> {
            IntegrationRef ref = existing != null ? existing : new IntegrationRef();
            ref.integrationId = event.integrationId();
            ref.userId = event.userId();
            ref.provider = event.provider();
            ref.category = event.category().name().toLowerCase();
            ref.active = event.type() != IntegrationEventType.DELETED;
            ref.updatedAt = Instant.now();
            Uni<?> saved = existing == null ? integrations.persist(ref) : Uni.createFrom().item(ref);
            return event.type() == IntegrationEventType.DELETED
                    ? saved.chain(() -> revoke(ref))
                    : saved.replaceWithVoid();
        });
    }

    private Uni<Void> revoke(IntegrationRef integration) {
        return credentials.findForUpdate(integration.integrationId).flatMap(credential -> {
            if (credential == null) {
                return Uni.createFrom().voidItem();
            }
            return revokeAtProvider(credential)
                    .chain(() -> deleteConsent(credential))
                    .chain(() -> credentialService.emit(credential, CredentialEventType.REVOKED))
                    .chain(() -> credentials.delete(credential));
        });
    }

    /** Open Banking: the consent the user authorised is deleted at the bank, which ends every token issued for it. */
    private Uni<Void> deleteConsent(Credential credential) {
        Optional<OAuthConfig.ProviderSettings> settings = providers.find(credential.provider)
                .filter(found -> found.consentsUrl().isPresent());
        Object consentId = credential.account == null ? null : credential.account.get("consentId");
        if (settings.isEmpty() || !(consentId instanceof String id)) {
            return Uni.createFrom().voidItem();
        }
        return consents.delete(credential.provider, settings.get(), id);
    }

    /** Best effort: a provider that cannot be reached does not keep the secret here; it is deleted anyway. */
    private Uni<Void> revokeAtProvider(Credential credential) {
        Optional<OAuthConfig.ProviderSettings> settings = providers.find(credential.provider)
                .filter(found -> found.revocationUrl().isPresent());
        if (credential.kind != Credential.Kind.OAUTH2 || settings.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        byte[] token = credential.refreshToken != null ? credential.refreshToken : credential.accessToken;
        CredentialVault.Field field = credential.refreshToken != null ? CredentialVault.Field.REFRESH_TOKEN
                : CredentialVault.Field.ACCESS_TOKEN;
        return client.revoke(credential.provider, settings.get(), vault.decrypt(token, credential.integrationId, field),
                        credential.account)
                .invoke(() -> Log.infof("Revoked the %s grant of deleted integration %s", credential.provider,
                        credential.integrationId))
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Could not revoke the %s grant of deleted integration %s: %s", credential.provider,
                            credential.integrationId, failure.getMessage());
                    return null;
                });
    }
}
