package io.tributary.oauth.client;

import io.smallrye.mutiny.Uni;
import io.tributary.oauth.config.OAuthConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Talks to providers' OAuth endpoints: code exchange, refresh, revocation and tenant discovery. */
@ApplicationScoped
public class ProviderTokenClient {

    private static final long TIMEOUT_MS = 10_000;

    private final WebClient client;
    private final ProviderGuards guards;

    public ProviderTokenClient(Vertx vertx, ProviderGuards guards) {
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setUserAgent("tributary"));
        this.guards = guards;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public Uni<TokenResponse> exchangeCode(String provider, OAuthConfig.ProviderSettings settings, String code,
            String redirectUri, String codeVerifier, Map<String, Object> account) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "authorization_code")
                .add("code", code)
                .add("redirect_uri", redirectUri);
        if (codeVerifier != null) {
            form.add("code_verifier", codeVerifier);
        }
        return tokenRequest(provider, settings, tokenUrl(settings, account), form);
    }

    /** Retried and circuit-broken per provider: a refresh may safely be repeated, a code exchange may not. */
    public Uni<TokenResponse> refresh(String provider, OAuthConfig.ProviderSettings settings, String refreshToken,
            Map<String, Object> account) {
        String url = tokenUrl(settings, account);
        return guards.call(provider, () -> tokenRequest(provider, settings, url, MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "refresh_token")
                .add("refresh_token", refreshToken)));
    }

    /** Revokes at the provider, in the form it wants; {@code account} carries e.g. Stripe's user id. */
    public Uni<Void> revoke(String provider, OAuthConfig.ProviderSettings settings, String token,
            Map<String, Object> account) {
        String url = settings.revocationUrl().orElseThrow();
        HttpRequest<Buffer> request = client.postAbs(url).timeout(TIMEOUT_MS);
        Uni<HttpResponse<Buffer>> sent = switch (settings.revocationStyle()) {
            case FORM_TOKEN -> authenticated(request, settings).sendForm(MultiMap.caseInsensitiveMultiMap()
                    .add("token", token).add("token_type_hint", "refresh_token"));
            case JSON_TOKEN -> authenticated(request, settings).putHeader("Accept", "application/json")
                    .sendJsonObject(new JsonObject().put("token", token));
            case STRIPE_DEAUTHORIZE -> request
                    .putHeader("Authorization", "Bearer " + settings.clientSecret().orElse(""))
                    .sendForm(MultiMap.caseInsensitiveMultiMap()
                            .add("client_id", settings.clientId().orElse(""))
                            .add("stripe_user_id", String.valueOf(account.get("stripe_user_id"))));
        };
        return sent.onFailure().transform(e -> unavailable(provider, "revocation", e))
                .flatMap(response -> response.statusCode() / 100 == 2 ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(failure(provider, "revocation", response)));
    }

    /** Tenants the connection grants access to (Xero {@code GET /connections}): id and name of each. */
    public Uni<List<JsonObject>> connections(String provider, String url, String accessToken) {
        return client.getAbs(url).timeout(TIMEOUT_MS)
                .putHeader("Authorization", "Bearer " + accessToken)
                .putHeader("Accept", "application/json")
                .send()
                .onFailure().transform(e -> unavailable(provider, "tenant discovery", e))
                .flatMap(response -> {
                    if (response.statusCode() != 200) {
                        return Uni.createFrom().failure(failure(provider, "tenant discovery", response));
                    }
                    JsonArray tenants = response.bodyAsJsonArray();
                    return Uni.createFrom().item(tenants.stream().map(JsonObject.class::cast).toList());
                });
    }

    /** The TPP's own token (Open Banking {@code client_credentials}, scope {@code accounts}): it only manages consents. */
    public Uni<String> clientCredentials(String provider, OAuthConfig.ProviderSettings settings, String scope) {
        return tokenRequest(provider, settings, settings.tokenUrl(), MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "client_credentials").add("scope", scope))
                .map(TokenResponse::accessToken);
    }

    /**
     * Creates an Open Banking account-access consent (201, {@code Data.ConsentId}) asking for
     * {@code permissions} until {@code expiration}.
     */
    public Uni<String> createConsent(String provider, OAuthConfig.ProviderSettings settings, String tppToken,
            List<String> permissions, java.time.Instant expiration) {
        JsonObject data = new JsonObject().put("Permissions", new JsonArray(permissions))
                .put("ExpirationDateTime", expiration.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return client.postAbs(settings.consentsUrl().orElseThrow()).timeout(TIMEOUT_MS)
                .putHeader("Authorization", "Bearer " + tppToken)
                .putHeader("Accept", "application/json")
                .putHeader("x-fapi-interaction-id", java.util.UUID.randomUUID().toString())
                .sendJsonObject(new JsonObject().put("Data", data).put("Risk", new JsonObject()))
                .onFailure().transform(e -> unavailable(provider, "consent creation", e))
                .flatMap(response -> {
                    if (response.statusCode() != 201) {
                        return Uni.createFrom().failure(failure(provider, "consent creation", response));
                    }
                    String consentId = consentId(response);
                    return consentId == null
                            ? Uni.createFrom().failure(new ProviderException(ProviderException.Kind.REJECTED,
                                    provider + " consent creation answered no usable Data.ConsentId", null))
                            : Uni.createFrom().item(consentId);
                });
    }

    /** Deletes (revokes) a consent: 204, or 404 when the ASPSP no longer has it. */
    public Uni<Void> deleteConsent(String provider, OAuthConfig.ProviderSettings settings, String tppToken,
            String consentId) {
        return client.deleteAbs(settings.consentsUrl().orElseThrow() + "/"
                        + java.net.URLEncoder.encode(consentId, StandardCharsets.UTF_8)).timeout(TIMEOUT_MS)
                .putHeader("Authorization", "Bearer " + tppToken)
                .putHeader("x-fapi-interaction-id", java.util.UUID.randomUUID().toString())
                .send()
                .onFailure().transform(e -> unavailable(provider, "consent deletion", e))
                .flatMap(response -> response.statusCode() == 204 || response.statusCode() == 404
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(failure(provider, "consent deletion", response)));
    }

    /** The consent id, when it is one a URL and a claim can carry safely. */
    private static String consentId(HttpResponse<Buffer> response) {
        try {
            JsonObject body = response.bodyAsJsonObject();
            String id = body == null || body.getJsonObject("Data") == null ? null
                    : body.getJsonObject("Data").getString("ConsentId");
            return id != null && id.matches("[A-Za-z0-9._:-]{1,128}") ? id : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** The token endpoint, with account placeholders such as {@code {referer}} filled from the kept (validated) parameters. */
    static String tokenUrl(OAuthConfig.ProviderSettings settings, Map<String, Object> account) {
        String url = settings.tokenUrl();
        for (Map.Entry<String, Object> entry : account.entrySet()) {
            url = url.replace("{" + entry.getKey() + "}", String.valueOf(entry.getValue()));
        }
        if (url.contains("{")) {
            throw new ProviderException(ProviderException.Kind.REJECTED,
                    "the token endpoint needs an account parameter the connection did not provide", null);
        }
        return url;
    }

    private Uni<TokenResponse> tokenRequest(String provider, OAuthConfig.ProviderSettings settings, String url,
            MultiMap form) {
        HttpRequest<Buffer> request = authenticated(client.postAbs(url).timeout(TIMEOUT_MS), settings)
                .putHeader("Accept", "application/json");
        if (settings.clientAuthentication() == OAuthConfig.ClientAuthentication.BODY || settings.clientSecret().isEmpty()) {
            settings.clientId().ifPresent(id -> form.add("client_id", id));
            if (settings.clientAuthentication() == OAuthConfig.ClientAuthentication.BODY) {
                settings.clientSecret().ifPresent(secret -> form.add("client_secret", secret));
            }
        }
        return request.sendForm(form)
                .onFailure().transform(e -> unavailable(provider, "token request", e))
                .flatMap(response -> {
                    if (response.statusCode() == 200) {
                        JsonObject body = response.bodyAsJsonObject();
                        if (body == null || body.getString("access_token") == null) {
                            return Uni.createFrom().failure(new ProviderException(ProviderException.Kind.REJECTED,
                                    provider + " token response has no access_token", null));
                        }
                        return Uni.createFrom().item(TokenResponse.from(body));
                    }
                    return Uni.createFrom().failure(failure(provider, "token request", response));
                });
    }

    private static HttpRequest<Buffer> authenticated(HttpRequest<Buffer> request, OAuthConfig.ProviderSettings settings) {
        if (settings.clientAuthentication() == OAuthConfig.ClientAuthentication.BASIC && settings.clientSecret().isPresent()) {
            String credentials = settings.clientId().orElse("") + ":" + settings.clientSecret().get();
            request.putHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    private static ProviderException failure(String provider, String what, HttpResponse<Buffer> response) {
        int status = response.statusCode();
        String error = oauthError(response);
        String message = provider + " " + what + " answered " + status + (error == null ? "" : " (" + error + ")");
        if (status == 429 || status >= 500) {
            return new ProviderException(ProviderException.Kind.UNAVAILABLE, message, retryAfter(response));
        }
        if ("invalid_grant".equals(error)) {
            return new ProviderException(ProviderException.Kind.INVALID_GRANT, message, null);
        }
        return new ProviderException(ProviderException.Kind.REJECTED, message, null);
    }

    /** Only the standard error code, never the description: providers may echo input there. */
    private static String oauthError(HttpResponse<Buffer> response) {
        try {
            JsonObject body = response.bodyAsJsonObject();
            String error = body == null ? null : body.getString("error");
            return error != null && error.matches("[a-z_]{1,64}") ? error : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static Duration retryAfter(HttpResponse<Buffer> response) {
        String header = response.getHeader("Retry-After");
        try {
            return header == null ? null : Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException httpDate) {
            return null;
        }
    }

    private static ProviderException unavailable(String provider, String what, Throwable cause) {
        return new ProviderException(ProviderException.Kind.UNAVAILABLE,
                provider + " " + what + " failed: " + cause.getClass().getSimpleName(), null);
    }
}
