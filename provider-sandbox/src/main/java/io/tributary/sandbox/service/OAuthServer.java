package io.tributary.sandbox.service;

import io.tributary.sandbox.config.SandboxConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The providers' authorization servers, in memory: codes are single-use and bound to the client,
 * redirect URI and PKCE challenge; access tokens expire as the provider's do; refresh tokens
 * rotate where the provider rotates them, and a used, rotated or revoked one is
 * {@code invalid_grant}. A code presented twice also revokes what it issued (RFC 6749 §4.1.2).
 */
@ApplicationScoped
public class OAuthServer {

    /** RFC 7636: 43–128 characters of the unreserved set. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");

    private final SandboxConfig.OAuth config;
    private final Clock clock;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Set<String> usedCodes = ConcurrentHashMap.newKeySet();
    private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();

    public OAuthServer(SandboxConfig config) {
        this.config = config.oauth();
        this.clock = Clock.systemUTC();
    }

    /** What the user approved; {@code account} is the provider's id for what was connected. */
    record Grant(String provider, String clientId, String redirectUri, String challenge, String scope, String account,
            Instant expiresAt) {
    }

    public record AccessToken(String provider, String account, String scope, Instant expiresAt, String grantId) {

        public boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    record RefreshToken(String provider, String clientId, String account, String scope, Instant expiresAt,
            String grantId) {
    }

    /** What the token endpoint answers; the resource shapes it per provider. */
    public record Issued(OAuthProfile profile, String accessToken, String refreshToken, Long expiresIn, String scope,
            String account) {
    }

    /** An approved authorization: where to send the user back, with which parameters. */
    public record Approval(String redirectUri, String code, String state, String accountParameter, String account) {
    }

    /**
     * Checks an authorization request as the provider would before showing its consent page;
     * fails without a redirect when the client or redirect URI is unknown.
     */
    public OAuthProfile checkAuthorization(String provider, String clientId, String redirectUri, String responseType,
            String challengeMethod) {
        OAuthProfile profile = profile(provider);
        if (!client(provider).clientId().equals(clientId)) {
            throw new OAuthError(400, "unauthorized_client", "Unknown client_id");
        }
        if (redirectUri == null || !config.redirectUris().contains(redirectUri)) {
            throw OAuthError.invalidRequest("redirect_uri is not registered for this client");
        }
        if (!"code".equals(responseType)) {
            throw new OAuthError(400, "unsupported_response_type", "response_type must be code");
        }
        if (challengeMethod != null && !"S256".equals(challengeMethod)) {
            throw OAuthError.invalidRequest("code_challenge_method must be S256");
        }
        return profile;
    }

    public Approval approve(String provider, String clientId, String redirectUri, String scope, String state,
            String challenge, String challengeMethod) {
        return approve(provider, clientId, redirectUri, scope, state, challenge, challengeMethod, newAccount(provider));
    }

    /** An approval of a given account: an Open Banking consent the user authorised. */
    public Approval approve(String provider, String clientId, String redirectUri, String scope, String state,
            String challenge, String challengeMethod, String account) {
        OAuthProfile profile = checkAuthorization(provider, clientId, redirectUri, "code", challengeMethod);
        String code = Tokens.opaque("", 24);
        codes.put(code, new Grant(provider, clientId, redirectUri, challenge, scope, account,
                clock.instant().plus(config.codeLifetime())));
        return new Approval(redirectUri, code, state, profile.callbackAccountParameter(), account);
    }

    public Issued exchangeCode(String provider, ClientCredentials credentials, String code, String redirectUri,
            String verifier) {
        OAuthProfile profile = authenticate(provider, credentials);
        if (code == null || code.isBlank()) {
            throw OAuthError.invalidRequest("code is required");
        }
        Grant grant = codes.remove(code);
        if (grant == null) {
            if (usedCodes.contains(code)) {
                revokeIssuedFrom(code);
                throw OAuthError.invalidGrant("The authorization code has already been used");
            }
            throw OAuthError.invalidGrant("Unknown authorization code");
        }
        usedCodes.add(code);
        if (!grant.provider().equals(provider) || !grant.clientId().equals(credentials.clientId())) {
            throw OAuthError.invalidGrant("The code was issued to another client");
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            throw OAuthError.invalidGrant("The authorization code has expired");
        }
        if (redirectUri != null && !redirectUri.equals(grant.redirectUri())) {
            throw OAuthError.invalidGrant("redirect_uri does not match the authorization request");
        }
        if (grant.challenge() != null) {
            if (verifier == null || !VERIFIER.matcher(verifier).matches()
                    || !grant.challenge().equals(s256(verifier))) {
                throw OAuthError.invalidGrant("code_verifier does not match the code_challenge");
            }
        }
        return issue(profile, grant.clientId(), grant.account(), grant.scope(), code, null);
    }

    public Issued refresh(String provider, ClientCredentials credentials, String refreshToken) {
        OAuthProfile profile = authenticate(provider, credentials);
        if (refreshToken == null || refreshToken.isBlank()) {
            throw OAuthError.invalidRequest("refresh_token is required");
        }
        RefreshToken current = refreshTokens.get(refreshToken);
        if (current == null || !current.provider().equals(provider)) {
            throw OAuthError.invalidGrant("The refresh token is invalid, used or revoked");
        }
        if (!current.clientId().equals(credentials.clientId())) {
            throw OAuthError.invalidGrant("The refresh token was issued to another client");
        }
        if (current.expiresAt() != null && !clock.instant().isBefore(current.expiresAt())) {
            refreshTokens.remove(refreshToken);
            throw OAuthError.invalidGrant("The refresh token has expired");
        }
        if (profile.rotatesRefreshToken()) {
            refreshTokens.remove(refreshToken);
            return issue(profile, current.clientId(), current.account(), current.scope(), current.grantId(), null);
        }
        return issue(profile, current.clientId(), current.account(), current.scope(), current.grantId(), refreshToken);
    }

    /** The client-credentials grant (Open Banking: the TPP's own token, to create consents); no refresh token. */
    public Issued clientCredentials(String provider, ClientCredentials credentials, String scope) {
        OAuthProfile profile = authenticate(provider, credentials);
        String access = Tokens.opaque("", 48);
        String grantId = "cc-" + access.substring(0, 12);
        accessTokens.put(access, new AccessToken(provider, null, scope, clock.instant().plus(profile.accessLifetime()),
                grantId));
        return new Issued(profile, access, null, profile.accessLifetime().toSeconds(), scope, null);
    }

    /** Revokes every token issued for an account (an Open Banking consent deleted by the TPP). */
    public void revokeAccount(String provider, String account) {
        refreshTokens.values().removeIf(token -> token.provider().equals(provider) && account.equals(token.account()));
        accessTokens.values().removeIf(token -> token.provider().equals(provider) && account.equals(token.account()));
    }

    /** Revokes a token and everything issued with it; unknown tokens are accepted silently (RFC 7009). */
    public void revoke(String provider, ClientCredentials credentials, String token) {
        authenticate(provider, credentials);
        String grantId = Optional.ofNullable(refreshTokens.get(token)).map(RefreshToken::grantId)
                .or(() -> Optional.ofNullable(accessTokens.get(token)).map(AccessToken::grantId)).orElse(null);
        if (grantId != null) {
            revokeIssuedFrom(grantId);
        }
    }

    /** Stripe's deauthorize: every token of the connected account goes. Returns whether it was connected. */
    public boolean deauthorize(String provider, ClientCredentials credentials, String account) {
        authenticate(provider, credentials);
        boolean connected = refreshTokens.values().stream().anyMatch(token -> account.equals(token.account()))
                || accessTokens.values().stream().anyMatch(token -> account.equals(token.account()));
        refreshTokens.values().removeIf(token -> account.equals(token.account()));
        accessTokens.values().removeIf(token -> account.equals(token.account()));
        return connected;
    }

    /** The live access token for a provider's data API; empty when unknown or revoked. */
    public Optional<AccessToken> accessToken(String provider, String token) {
        return Optional.ofNullable(token == null ? null : accessTokens.get(token))
                .filter(access -> access.provider().equals(provider));
    }

    /** The account an unused code or live refresh token of {@code provider} was issued for. */
    public Optional<String> grantAccount(String provider, String codeOrRefreshToken) {
        if (codeOrRefreshToken == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(codes.get(codeOrRefreshToken)).filter(grant -> grant.provider().equals(provider))
                .map(Grant::account)
                .or(() -> Optional.ofNullable(refreshTokens.get(codeOrRefreshToken))
                        .filter(token -> token.provider().equals(provider)).map(RefreshToken::account));
    }

    /** Whether {@code account} holds a live grant of {@code provider} (Stripe's {@code Stripe-Account} header). */
    public boolean connected(String provider, String account) {
        return account != null && (accessTokens.values().stream()
                .anyMatch(token -> token.provider().equals(provider) && account.equals(token.account()))
                || refreshTokens.values().stream()
                        .anyMatch(token -> token.provider().equals(provider) && account.equals(token.account())));
    }

    /** Whether {@code secret} is the secret of {@code provider}'s registered client (a platform's API key). */
    public boolean clientSecret(String provider, String secret) {
        SandboxConfig.Client client = config.clients().get(provider);
        return client != null && secret != null && MessageDigest.isEqual(
                client.clientSecret().getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The registered client's secret: the key of an HS256 request object. */
    public String clientSecret(String provider) {
        return client(provider).clientSecret();
    }

    public String clientId(String provider) {
        return client(provider).clientId();
    }

    public Instant now() {
        return clock.instant();
    }

    private Issued issue(OAuthProfile profile, String clientId, String account, String scope, String grantId,
            String keptRefreshToken) {
        Instant now = clock.instant();
        String access = Tokens.opaque(profile.provider().equals("stripe") ? "sk_test_" : "", 48);
        accessTokens.put(access, new AccessToken(profile.provider(), account, scope,
                profile.accessExpires() ? now.plus(profile.accessLifetime()) : null, grantId));
        String refresh = keptRefreshToken;
        if (refresh == null) {
            refresh = Tokens.opaque(profile.provider().equals("stripe") ? "rt_" : "", 32);
            refreshTokens.put(refresh, new RefreshToken(profile.provider(), clientId, account, scope,
                    profile.refreshLifetime() == null ? null : now.plus(profile.refreshLifetime()), grantId));
        }
        return new Issued(profile, access, refresh,
                profile.accessExpires() ? profile.accessLifetime().toSeconds() : null, scope, account);
    }

    private void revokeIssuedFrom(String grantId) {
        refreshTokens.values().removeIf(token -> grantId.equals(token.grantId()));
        accessTokens.values().removeIf(token -> grantId.equals(token.grantId()));
    }

    private OAuthProfile authenticate(String provider, ClientCredentials credentials) {
        OAuthProfile profile = profile(provider);
        SandboxConfig.Client client = client(provider);
        if (credentials == null || !client.clientId().equals(credentials.clientId())
                || !MessageDigest.isEqual(client.clientSecret().getBytes(StandardCharsets.UTF_8),
                        String.valueOf(credentials.clientSecret()).getBytes(StandardCharsets.UTF_8))) {
            throw OAuthError.invalidClient();
        }
        return profile;
    }

    private OAuthProfile profile(String provider) {
        return OAuthProfile.of(provider).orElseThrow(() -> new OAuthError(404, "not_found", "Unknown provider"));
    }

    private SandboxConfig.Client client(String provider) {
        SandboxConfig.Client client = config.clients().get(provider);
        if (client == null) {
            throw new OAuthError(404, "not_found", "No client is registered for " + provider);
        }
        return client;
    }

    private static String newAccount(String provider) {
        return switch (provider) {
            case "stripe" -> "acct_" + Tokens.hex(8);
            case "quickbooks" -> Tokens.digits(16);
            case "paypal" -> Tokens.payerId();
            case "amocrm" -> "sandbox" + Tokens.hex(4) + ".amocrm.ru";
            case "hsbc", "barclays", "lloyds", "santander" -> "urn-" + provider + "-intent-" + UUID.randomUUID();
            default -> UUID.randomUUID().toString();
        };
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Expires everything issued so far: the sandbox's "tokens expired" switch. */
    public int expireAccessTokens() {
        Instant past = clock.instant().minus(Duration.ofSeconds(1));
        int[] count = {0};
        accessTokens.replaceAll((token, access) -> {
            if (access.expiresAt() == null) {
                return access;
            }
            count[0]++;
            return new AccessToken(access.provider(), access.account(), access.scope(), past, access.grantId());
        });
        return count[0];
    }

    /** A client's id and secret as presented, from Basic auth or the form body. */
    public record ClientCredentials(String clientId, String clientSecret) {
    }
}
