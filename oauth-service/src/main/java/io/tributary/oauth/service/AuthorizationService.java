package io.tributary.oauth.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tributary.kit.problem.ProblemException;
import io.tributary.oauth.IntegrationRef;
import io.tributary.oauth.OAuthState;
import io.tributary.oauth.client.ProviderTokenClient;
import io.tributary.oauth.client.TokenResponse;
import io.tributary.oauth.config.OAuthConfig;
import io.tributary.oauth.repository.IntegrationRefRepository;
import io.tributary.oauth.repository.OAuthStateRepository;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The authorization-code flow: a fresh single-use state (and PKCE verifier) per attempt, bound to
 * the user and the integration; the code exchanged only for the state's owner, before it expires,
 * once.
 */
@ApplicationScoped
public class AuthorizationService {

    private final IntegrationRefRepository integrations;
    private final OAuthStateRepository states;
    private final ProviderRegistry providers;
    private final ProviderTokenClient client;
    private final CredentialService credentials;
    private final CredentialVault vault;
    private final OAuthConfig.Authorization config;
    private final OpenBankingConsents consents;

    public AuthorizationService(IntegrationRefRepository integrations, OAuthStateRepository states,
            ProviderRegistry providers, ProviderTokenClient client, CredentialService credentials, CredentialVault vault,
            OAuthConfig config, OpenBankingConsents consents) {
        this.consents = consents;
        this.integrations = integrations;
        this.states = states;
        this.providers = providers;
        this.client = client;
        this.credentials = credentials;
        this.vault = vault;
        this.config = config.authorization();
    }

    public record AuthorizationStart(String authorizationUrl, String state, Instant expiresAt) {
    }

    /** What the provider sent back to the redirect URI, as the frontend relays it. */
    public record Callback(String code, String state, Map<String, String> parameters) {
    }

    @WithTransaction
    public Uni<AuthorizationStart> start(String userId, UUID integrationId, String redirectUri) {
        return integrations.findOwned(integrationId, userId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Integration", integrationId))
                .flatMap(integration -> {
                    OAuthConfig.ProviderSettings settings = providers.require(integration.provider);
                    if (!settings.redirectUris().contains(redirectUri)) {
                        throw ProblemException.invalid("redirectUri", "is not a redirect URI registered for "
                                + integration.provider);
                    }
                    // Open Banking: the consent exists at the bank before the user is sent there
                    Uni<String> consent = settings.consentsUrl().isPresent()
                            ? consents.create(integration.provider, settings) : Uni.createFrom().nullItem();
                    return consent.flatMap(consentId -> begin(integration.provider, settings, integrationId, userId,
                            redirectUri, consentId));
                });
    }

    /** The state (and PKCE verifier) of one attempt, kept hashed, and the URL that sends the user to the provider. */
    private Uni<AuthorizationStart> begin(String provider, OAuthConfig.ProviderSettings settings, UUID integrationId,
            String userId, String redirectUri, String consentId) {
        String state = SecureRandoms.state();
        String verifier = settings.pkce() ? SecureRandoms.codeVerifier() : null;
        OAuthState pending = new OAuthState();
        pending.stateHash = SecureRandoms.hash(state);
        pending.integrationId = integrationId;
        pending.userId = userId;
        pending.provider = provider;
        pending.consentId = consentId;
        pending.redirectUri = redirectUri;
        pending.codeVerifier = verifier == null ? null
                : vault.encrypt(verifier, integrationId, CredentialVault.Field.CODE_VERIFIER);
        pending.createdAt = Instant.now();
        pending.expiresAt = pending.createdAt.plus(config.stateLifetime());
        String requestObject = consentId == null ? null : consents.requestObject(settings, consentId,
                redirectUri, state, verifier == null ? null : SecureRandoms.codeChallenge(verifier));
        return states.persist(pending).replaceWith(new AuthorizationStart(
                authorizationUrl(settings, redirectUri, state, verifier, requestObject), state,
                pending.expiresAt));
    }

    /** Exchanges the code; the state is spent first, in its own transaction, so it can never be used twice. */
    public Uni<UUID> complete(String userId, Callback callback) {
        return claimState(userId, callback.state()).flatMap(claimed -> {
            OAuthConfig.ProviderSettings settings = providers.require(claimed.state().provider);
            Map<String, Object> kept = keptParameters(settings, callback.parameters());
            if (claimed.state().consentId != null) {
                // the bank does not name the consent on the callback: it is the one this attempt created
                kept.put("consentId", claimed.state().consentId);
            }
            String verifier = claimed.state().codeVerifier == null ? null : vault.decrypt(claimed.state().codeVerifier,
                    claimed.state().integrationId, CredentialVault.Field.CODE_VERIFIER);
            return client.exchangeCode(claimed.state().provider, settings, callback.code(), claimed.state().redirectUri,
                            verifier, kept)
                    .onFailure(io.tributary.oauth.client.ProviderException.class)
                    .transform(e -> ProviderProblems.of((io.tributary.oauth.client.ProviderException) e))
                    .flatMap(tokens -> accountOf(claimed.state().provider, settings, tokens, kept)
                            .flatMap(account -> credentials.storeOAuth(claimed.integration(), tokens, account, settings)))
                    .replaceWith(claimed.state().integrationId);
        });
    }

    private record Claimed(OAuthState state, IntegrationRef integration) {
    }

    /** Its own committed transaction (called from inside this bean, where an annotation would not apply). */
    private Uni<Claimed> claimState(String userId, String state) {
        if (state == null || state.isBlank() || state.length() > 200) {
            return Uni.createFrom().failure(ProblemException.invalid("state", "is missing or malformed"));
        }
        return Panache.withTransaction(() -> states.findForUpdate(SecureRandoms.hash(state)).flatMap(pending -> {
            // unknown, someone else's, spent or expired: the same answer, so a state cannot be probed
            if (pending == null || !pending.userId.equals(userId) || pending.usedAt != null
                    || pending.expiresAt.isBefore(Instant.now())) {
                return Uni.createFrom().failure(ProblemException.invalid("state",
                        "is unknown, expired or already used; start the authorization again"));
            }
            pending.usedAt = Instant.now();
            return integrations.findOwned(pending.integrationId, userId)
                    .onItem().ifNull().failWith(() -> ProblemException.notFound("Integration", pending.integrationId))
                    .map(integration -> new Claimed(pending, integration));
        }));
    }

    /** The callback parameters this provider's credential keeps, each checked against its pattern; others are dropped. */
    private static Map<String, Object> keptParameters(OAuthConfig.ProviderSettings settings,
            Map<String, String> callbackParameters) {
        Map<String, Object> kept = new LinkedHashMap<>();
        List<String> keep = settings.callbackParameters().orElse(List.of());
        if (callbackParameters == null) {
            return kept;
        }
        callbackParameters.forEach((name, value) -> {
            if (!keep.contains(name) || value == null) {
                return;
            }
            String pattern = settings.callbackParameterPatterns().getOrDefault(name, "[A-Za-z0-9._-]{1,200}");
            if (!value.matches(pattern)) {
                throw ProblemException.invalid("parameters." + name, "is not a value this provider sends");
            }
            kept.put(name, value);
        });
        return kept;
    }

    /** Provider account data to keep: the kept callback parameters, and the tenants where the provider lists them. */
    private Uni<Map<String, Object>> accountOf(String provider, OAuthConfig.ProviderSettings settings,
            TokenResponse tokens, Map<String, Object> kept) {
        Map<String, Object> account = new LinkedHashMap<>(tokens.extras());
        account.putAll(kept);
        if (settings.connectionsUrl().isEmpty()) {
            return Uni.createFrom().item(account);
        }
        return client.connections(provider, settings.connectionsUrl().get(), tokens.accessToken())
                .onFailure(io.tributary.oauth.client.ProviderException.class)
                .transform(e -> ProviderProblems.of((io.tributary.oauth.client.ProviderException) e))
                .map(tenants -> {
                    List<Map<String, Object>> listed = tenants.stream().map(JsonObject::getMap).toList();
                    account.put("tenants", listed);
                    if (!listed.isEmpty()) {
                        account.put("tenantId", listed.get(0).get("tenantId"));
                    }
                    return account;
                });
    }

    private static String authorizationUrl(OAuthConfig.ProviderSettings settings, String redirectUri, String state,
            String verifier, String requestObject) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId().orElseThrow());
        query.put("redirect_uri", redirectUri);
        settings.scopes().ifPresent(scopes -> query.put("scope", String.join(" ", scopes)));
        query.put("state", state);
        if (verifier != null) {
            query.put("code_challenge", SecureRandoms.codeChallenge(verifier));
            query.put("code_challenge_method", "S256");
        }
        if (requestObject != null) {
            query.put("request", requestObject);
        }
        String separator = settings.authorizationUrl().contains("?") ? "&" : "?";
        return settings.authorizationUrl() + separator + query.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
