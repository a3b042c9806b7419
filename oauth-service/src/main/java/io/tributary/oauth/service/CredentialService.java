package io.tributary.oauth.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.CredentialEvent;
import io.tributary.contracts.event.CredentialEventType;
import io.tributary.kit.outbox.Outbox;
import io.tributary.kit.problem.ProblemException;
import io.tributary.oauth.Credential;
import io.tributary.oauth.IntegrationRef;
import io.tributary.oauth.client.ProviderException;
import io.tributary.oauth.client.ProviderTokenClient;
import io.tributary.oauth.client.TokenResponse;
import io.tributary.oauth.config.OAuthConfig;
import io.tributary.oauth.repository.CredentialReads;
import io.tributary.oauth.repository.CredentialRepository;
import io.tributary.oauth.repository.IntegrationRefRepository;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;

/** Stores credentials encrypted, hands out usable ones (refreshing first), and forgets them. */
@ApplicationScoped
public class CredentialService {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final CredentialRepository credentials;
    private final IntegrationRefRepository integrations;
    private final CredentialVault vault;
    private final ProviderRegistry providers;
    private final ProviderTokenClient client;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final Duration skew;
    private final CredentialMetrics metrics;
    private final CredentialReads reads;

    public CredentialService(CredentialRepository credentials, CredentialReads reads,
            IntegrationRefRepository integrations, CredentialVault vault, ProviderRegistry providers,
            ProviderTokenClient client, Outbox outbox, ObjectMapper mapper, OAuthConfig config,
            CredentialMetrics metrics) {
        this.reads = reads;
        this.metrics = metrics;
        this.credentials = credentials;
        this.integrations = integrations;
        this.vault = vault;
        this.providers = providers;
        this.client = client;
        this.outbox = outbox;
        this.mapper = mapper;
        this.skew = config.refresh().skew();
    }

    /** A credential in the clear, for the service that asked; never logged or stored. */
    public record UsableCredential(UUID integrationId, String provider, Credential.Kind kind, String tokenType,
            String accessToken, Instant expiresAt, Map<String, String> secrets, Map<String, Object> account) {

        @Override
        public String toString() {
            return "UsableCredential[" + integrationId + ", " + provider + ", " + kind + "]";
        }
    }

    @WithTransaction
    public Uni<Void> storeOAuth(IntegrationRef integration, TokenResponse tokens, Map<String, Object> account,
            OAuthConfig.ProviderSettings settings) {
        Instant now = Instant.now();
        return credentials.findForUpdate(integration.integrationId).flatMap(existing -> {
            Credential credential = existing != null ? existing : newCredential(integration, Credential.Kind.OAUTH2, now);
            credential.kind = Credential.Kind.OAUTH2;
            credential.state = Credential.State.ACTIVE;
            credential.accessToken = vault.encrypt(tokens.accessToken(), credential.integrationId,
                    CredentialVault.Field.ACCESS_TOKEN);
            credential.refreshToken = tokens.refreshToken() == null ? null : vault.encrypt(tokens.refreshToken(),
                    credential.integrationId, CredentialVault.Field.REFRESH_TOKEN);
            credential.tokenType = tokens.tokenType();
            credential.scope = tokens.scope();
            credential.expiresAt = tokens.lifetime().map(now::plus).orElse(null);
            credential.refreshExpiresAt = refreshLifetime(tokens).map(now::plus).orElse(null);
            credential.consentExpiresAt = settings.consentLifetime().map(now::plus).orElse(null);
            credential.expiryNotifiedAt = null; // a new consent deserves its own warning
            credential.account = account;
            credential.keyId = vault.primaryKeyId();
            credential.updatedAt = now;
            return persist(credential, existing == null)
                    .call(() -> emit(credential, CredentialEventType.AUTHORIZED));
        });
    }

    /** A key, secret or login the user entered for a key-based provider; answers nothing back. */
    @WithTransaction
    public Uni<Void> storeApiKey(String userId, UUID integrationId, Map<String, String> secrets) {
        return integrations.findOwned(integrationId, userId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Integration", integrationId))
                .flatMap(integration -> {
                    if (!providers.takesApiKeys(integration.provider)) {
                        throw ProblemException.unprocessable(integration.provider
                                + " is not connected with an API key; use the OAuth authorization instead");
                    }
                    return storeSecrets(integration, Credential.Kind.API_KEY, null, secrets, Map.of());
                });
    }

    /** A credential another service obtained itself (the Plaid Link exchange in bank-sync-service). */
    @WithTransaction
    public Uni<Void> storeExternal(UUID integrationId, Credential.Kind kind, String accessToken,
            Map<String, String> secrets, Map<String, Object> account) {
        return integrations.findActive(integrationId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Integration", integrationId))
                .flatMap(integration -> storeSecrets(integration, kind, accessToken, secrets, account));
    }

    private Uni<Void> storeSecrets(IntegrationRef integration, Credential.Kind kind, String accessToken,
            Map<String, String> secrets, Map<String, Object> account) {
        Instant now = Instant.now();
        return credentials.findForUpdate(integration.integrationId).flatMap(existing -> {
            Credential credential = existing != null ? existing : newCredential(integration, kind, now);
            credential.kind = kind;
            credential.state = Credential.State.ACTIVE;
            credential.accessToken = accessToken == null ? null
                    : vault.encrypt(accessToken, credential.integrationId, CredentialVault.Field.ACCESS_TOKEN);
            credential.refreshToken = null;
            credential.apiSecret = secrets == null || secrets.isEmpty() ? null
                    : vault.encrypt(json(secrets), credential.integrationId, CredentialVault.Field.API_SECRET);
            credential.expiresAt = null;
            credential.account = account == null ? Map.of() : account;
            credential.keyId = vault.primaryKeyId();
            credential.updatedAt = now;
            return persist(credential, existing == null).call(() -> emit(credential, CredentialEventType.AUTHORIZED));
        });
    }

    /** The integration's credential in the clear, refreshed first when it expires within the skew. */
    public Uni<UsableCredential> usable(UUID integrationId) {
        return reads.find(integrationId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Credential of integration", integrationId))
                .flatMap(stored -> {
                    if (stored.state() == Credential.State.REAUTH_REQUIRED) {
                        throw reauthRequired(integrationId);
                    }
                    boolean expiresSoon = stored.expiresAt() != null && stored.expiresAt().isBefore(Instant.now().plus(skew));
                    if (!expiresSoon || !stored.refreshable()) {
                        return Uni.createFrom().item(clear(stored));
                    }
                    return refreshIfDue(integrationId).map(this::clear);
                });
    }

    /** A refresh asked for now (by the user or an admin), whatever the expiry. */
    public Uni<Credential> refreshNow(UUID integrationId) {
        return refreshUnderLock(integrationId, null).flatMap(this::outcomeToResult);
    }

    /** The proactive refresh of one credential, when it still expires within {@code window} once locked. */
    public Uni<Credential> refreshIfExpiringWithin(UUID integrationId, Duration window) {
        return refreshUnderLock(integrationId, window).flatMap(this::outcomeToResult);
    }

    /**
     * Refreshes under the credential's row lock, re-checking the expiry once the lock is held:
     * concurrent callers, in any replica, wait and then find the token another one refreshed. A
     * provider that rotates refresh tokens never sees two refreshes of one token.
     */
    public Uni<Credential> refreshIfDue(UUID integrationId) {
        return refreshUnderLock(integrationId, skew).flatMap(this::outcomeToResult);
    }

    private Uni<Credential> outcomeToResult(Outcome outcome) {
        return switch (outcome.result()) {
            case FRESH -> Uni.createFrom().item(outcome.credential());
            case REAUTH_REQUIRED -> Uni.createFrom().failure(reauthRequired(outcome.credential().integrationId));
            case PROVIDER_UNAVAILABLE -> Uni.createFrom().failure(ProviderProblems.of(outcome.failure()));
        };
    }

    private enum Result { FRESH, REAUTH_REQUIRED, PROVIDER_UNAVAILABLE }

    private record Outcome(Result result, Credential credential, ProviderException failure) {
    }

    /**
     * Commits in every case: a dead grant is recorded and announced even though the caller gets a
     * failure. (An explicit transaction: it is called from inside this bean.)
     */
    private Uni<Outcome> refreshUnderLock(UUID integrationId, Duration threshold) {
        Context context = Vertx.currentContext();
        Executor onContext = command -> context.runOnContext(ignored -> command.run());
        return Panache.withTransaction(() -> credentials.findForUpdate(integrationId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Credential of integration", integrationId))
                .flatMap(credential -> {
                    if (credential.state == Credential.State.REAUTH_REQUIRED) {
                        return Uni.createFrom().item(new Outcome(Result.REAUTH_REQUIRED, credential, null));
                    }
                    if (credential.refreshToken == null) {
                        return Uni.createFrom().failure(ProblemException.unprocessable(
                                "The credential of integration " + integrationId + " cannot be refreshed"));
                    }
                    if (threshold != null && !expiresWithin(credential, threshold)) {
                        return Uni.createFrom().item(new Outcome(Result.FRESH, credential, null)); // someone else refreshed
                    }
                    OAuthConfig.ProviderSettings settings = providers.require(credential.provider);
                    String refreshToken = vault.decrypt(credential.refreshToken, integrationId,
                            CredentialVault.Field.REFRESH_TOKEN);
                    long started = System.nanoTime();
                    return client.refresh(credential.provider, settings, refreshToken, credential.account)
                            // retries resume on another thread; the transaction lives on this context
                            .emitOn(onContext)
                            .invoke(() -> metrics.refreshed(credential.provider, "refreshed", started))
                            .onFailure(ProviderException.class).invoke(failure -> metrics.refreshed(credential.provider,
                                    ((ProviderException) failure).kind().name().toLowerCase(), started))
                            .flatMap(tokens -> refreshed(credential, tokens))
                            .onFailure(ProviderException.class).recoverWithUni(failure ->
                                    failed(credential, (ProviderException) failure));
                }));
    }

    private Uni<Outcome> refreshed(Credential credential, TokenResponse tokens) {
        Instant now = Instant.now();
        credential.accessToken = vault.encrypt(tokens.accessToken(), credential.integrationId,
                CredentialVault.Field.ACCESS_TOKEN);
        if (tokens.refreshToken() != null) {
            // rotating providers (Xero, QuickBooks) invalidate the old one: keep the latest
            credential.refreshToken = vault.encrypt(tokens.refreshToken(), credential.integrationId,
                    CredentialVault.Field.REFRESH_TOKEN);
        }
        credential.expiresAt = tokens.lifetime().map(now::plus).orElse(null);
        refreshLifetime(tokens).ifPresent(lifetime -> credential.refreshExpiresAt = now.plus(lifetime));
        credential.keyId = vault.primaryKeyId();
        credential.refreshedAt = now;
        credential.updatedAt = now;
        Log.infof("Refreshed the credential of integration %s (%s)", credential.integrationId, credential.provider);
        return emit(credential, CredentialEventType.REFRESHED).replaceWith(new Outcome(Result.FRESH, credential, null));
    }

    private Uni<Outcome> failed(Credential credential, ProviderException failure) {
        if (failure.kind() == ProviderException.Kind.INVALID_GRANT) {
            credential.state = Credential.State.REAUTH_REQUIRED;
            credential.updatedAt = Instant.now();
            Log.warnf("The provider refused the refresh token of integration %s (%s); re-authorization required",
                    credential.integrationId, credential.provider);
            return emit(credential, CredentialEventType.REAUTH_REQUIRED)
                    .replaceWith(new Outcome(Result.REAUTH_REQUIRED, credential, failure));
        }
        Log.warnf("Refreshing the credential of integration %s failed: %s", credential.integrationId, failure.getMessage());
        // a provider outage never kills a credential; an unexpired token is still usable meanwhile
        boolean stillValid = credential.expiresAt != null && credential.expiresAt.isAfter(Instant.now());
        return Uni.createFrom().item(stillValid ? new Outcome(Result.FRESH, credential, null)
                : new Outcome(Result.PROVIDER_UNAVAILABLE, credential, failure));
    }

    private UsableCredential clear(CredentialReads.StoredCredential stored) {
        String accessToken = stored.accessToken() == null ? null
                : vault.decrypt(stored.accessToken(), stored.integrationId(), CredentialVault.Field.ACCESS_TOKEN);
        Map<String, String> secrets = stored.apiSecret() == null ? Map.of()
                : parse(vault.decrypt(stored.apiSecret(), stored.integrationId(), CredentialVault.Field.API_SECRET));
        return new UsableCredential(stored.integrationId(), stored.provider(), stored.kind(), stored.tokenType(),
                accessToken, stored.expiresAt(), secrets, stored.account());
    }

    private UsableCredential clear(Credential credential) {
        String accessToken = credential.accessToken == null ? null
                : vault.decrypt(credential.accessToken, credential.integrationId, CredentialVault.Field.ACCESS_TOKEN);
        Map<String, String> secrets = credential.apiSecret == null ? Map.of()
                : parse(vault.decrypt(credential.apiSecret, credential.integrationId, CredentialVault.Field.API_SECRET));
        return new UsableCredential(credential.integrationId, credential.provider, credential.kind, credential.tokenType,
                accessToken, credential.expiresAt, secrets, credential.account);
    }

    private static boolean expiresWithin(Credential credential, Duration window) {
        return credential.expiresAt != null && credential.expiresAt.isBefore(Instant.now().plus(window));
    }

    private Uni<Void> persist(Credential credential, boolean isNew) {
        return (isNew ? credentials.persist(credential) : Uni.createFrom().item(credential)).replaceWithVoid();
    }

    Uni<Void> emit(Credential credential, CredentialEventType type) {
        return emit(credential, type, credential.expiresAt);
    }

    Uni<Void> emit(Credential credential, CredentialEventType type, Instant expiresAt) {
        return outbox.add(new CredentialEvent(credential.integrationId, type, expiresAt, Instant.now()))
                .replaceWithVoid();
    }

    private static Credential newCredential(IntegrationRef integration, Credential.Kind kind, Instant now) {
        Credential credential = new Credential();
        credential.integrationId = integration.integrationId;
        credential.userId = integration.userId;
        credential.provider = integration.provider;
        credential.kind = kind;
        credential.createdAt = now;
        return credential;
    }

    private static java.util.Optional<Duration> refreshLifetime(TokenResponse tokens) {
        Object seconds = tokens.extras().getOrDefault("x_refresh_token_expires_in",
                tokens.extras().get("refresh_token_expires_in"));
        try {
            return seconds == null ? java.util.Optional.empty()
                    : java.util.Optional.of(Duration.ofSeconds(Long.parseLong(seconds.toString())));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static ProblemException reauthRequired(UUID integrationId) {
        return ProblemException.conflict("The credential of integration " + integrationId
                + " was refused by the provider; the user has to connect again");
    }

    private String json(Map<String, String> secrets) {
        try {
            return mapper.writeValueAsString(new LinkedHashMap<>(secrets));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize the secret fields");
        }
    }

    private Map<String, String> parse(String json) {
        try {
            return mapper.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored secret fields are not readable");
        }
    }
}
