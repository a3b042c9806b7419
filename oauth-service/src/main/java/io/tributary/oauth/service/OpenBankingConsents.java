package io.tributary.oauth.service;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tributary.oauth.client.ProviderException;
import io.tributary.oauth.client.ProviderTokenClient;
import io.tributary.oauth.config.OAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * UK Open Banking's account-access consent (shared/providers.md 1.5): created with the TPP's
 * client-credentials token before the user is sent to the bank, named in the authorization
 * request's signed request object ({@code claims.id_token.openbanking_intent_id}), and deleted
 * when the integration is.
 */
@ApplicationScoped
public class OpenBankingConsents {

    private static final Duration REQUEST_OBJECT_LIFETIME = Duration.ofMinutes(10);
    private static final Duration DEFAULT_CONSENT_LIFETIME = Duration.ofDays(90);

    private final ProviderTokenClient client;

    public OpenBankingConsents(ProviderTokenClient client) {
        this.client = client;
    }

    /** A new consent for this provider's permissions, awaiting the user's authorisation. */
    public Uni<String> create(String provider, OAuthConfig.ProviderSettings settings) {
        Instant expiration = Instant.now().plus(settings.consentLifetime().orElse(DEFAULT_CONSENT_LIFETIME));
        return client.clientCredentials(provider, settings, "accounts")
                .flatMap(token -> client.createConsent(provider, settings, token, settings.consentPermissions(),
                        expiration))
                .onFailure(ProviderException.class).transform(e -> ProviderProblems.of((ProviderException) e));
    }

    /**
     * The request object: the authorization request's parameters and the consent, signed with the
     * client secret (HS256; OIDC Core 6.1 and 10.1 allow it for a confidential client). An ASPSP
     * that wants PS256 with a registered key needs a signing key in this service: not built.
     */
    public String requestObject(OAuthConfig.ProviderSettings settings, String consentId, String redirectUri,
            String state, String codeChallenge) {
        try {
            JwtClaims claims = new JwtClaims();
            String clientId = settings.clientId().orElseThrow();
            URI authorization = URI.create(settings.authorizationUrl());
            claims.setIssuer(clientId);
            claims.setAudience(authorization.getScheme() + "://" + authorization.getAuthority());
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(REQUEST_OBJECT_LIFETIME.toMinutes());
            claims.setGeneratedJwtId();
            claims.setStringClaim("response_type", "code");
            claims.setStringClaim("client_id", clientId);
            claims.setStringClaim("redirect_uri", redirectUri);
            claims.setStringClaim("scope", String.join(" ", settings.scopes().orElse(List.of("openid", "accounts"))));
            claims.setStringClaim("state", state);
            if (codeChallenge != null) {
                claims.setStringClaim("code_challenge", codeChallenge);
                claims.setStringClaim("code_challenge_method", "S256");
            }
            Map<String, Object> intent = Map.of("value", consentId, "essential", true);
            claims.setClaim("claims", Map.of(
                    "id_token", Map.of("openbanking_intent_id", intent,
                            "acr", Map.of("essential", true, "values", List.of("urn:openbanking:psd2:sca"))),
                    "userinfo", Map.of("openbanking_intent_id", intent)));
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKey(new HmacKey(settings.clientSecret().orElseThrow().getBytes(StandardCharsets.UTF_8)));
            // the key is the secret the bank issued, whatever its length
            jws.setDoKeyValidation(false);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign the Open Banking request object", e);
        }
    }

    /** Best effort, as every revocation at a provider: the credential goes whatever the bank answers. */
    public Uni<Void> delete(String provider, OAuthConfig.ProviderSettings settings, String consentId) {
        return client.clientCredentials(provider, settings, "accounts")
                .flatMap(token -> client.deleteConsent(provider, settings, token, consentId))
                .invoke(() -> Log.infof("Deleted the %s consent of a deleted integration", provider))
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Could not delete the %s consent of a deleted integration: %s", provider,
                            failure.getMessage());
                    return null;
                });
    }
}
