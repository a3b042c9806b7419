package io.tributary.bank.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.config.BankConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * oauth-service's internal credentials API (DESIGN.md 1): the only place a bank token lives. Calls
 * carry this service's client-credentials token, fetched once and reused until it nears expiry.
 * A token read here is held only for the call that needs it.
 */
@ApplicationScoped
public class CredentialClient {

    private final BankConfig.Credentials config;
    private final OidcClient oidc;
    private final WebClient client;
    private final ObjectMapper mapper;
    private final AtomicReference<Tokens> serviceToken = new AtomicReference<>();

    public CredentialClient(BankConfig config, OidcClient oidc, Vertx vertx, ObjectMapper mapper) {
        this.config = config.credentials();
        this.oidc = oidc;
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000));
        this.mapper = mapper;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** A usable credential; {@code toString} never shows the token. */
    public record Credential(String kind, String accessToken, Map<String, Object> account) {

        @Override
        public String toString() {
            return "Credential[" + kind + "]";
        }
    }

    /** The integration's credential, refreshed by oauth-service first when it is about to expire. */
    public Uni<Credential> usable(UUID integrationId) {
        return bearer().flatMap(token -> client.getAbs(url(integrationId))
                        .bearerTokenAuthentication(token)
                        .timeout(config.timeout().toMillis())
                        .send())
                .onFailure(failure -> !(failure instanceof CredentialException))
                .transform(failure -> new CredentialException(CredentialException.Reason.UNAVAILABLE,
                        "oauth-service could not be reached: " + failure.getClass().getSimpleName()))
                .map(response -> {
                    check(response, integrationId);
                    JsonNode json = parse(response.bodyAsString());
                    @SuppressWarnings("unchecked")
                    Map<String, Object> account = json.path("account").isObject()
                            ? mapper.convertValue(json.path("account"), Map.class) : Map.of();
                    return new Credential(json.path("kind").asText(null), json.path("accessToken").asText(null),
                            account);
                });
    }

    /** Hands a token this service obtained (a Plaid access token) to oauth-service, which emits {@code authorized}. */
    public Uni<Void> store(UUID integrationId, String kind, String accessToken, Map<String, Object> account) {
        JsonObject body = new JsonObject().put("kind", kind).put("accessToken", accessToken)
                .put("account", new JsonObject(account));
        return bearer().flatMap(token -> client.putAbs(url(integrationId))
                        .bearerTokenAuthentication(token)
                        .timeout(config.timeout().toMillis())
                        .sendJsonObject(body))
                .onFailure(failure -> !(failure instanceof CredentialException))
                .transform(failure -> new CredentialException(CredentialException.Reason.UNAVAILABLE,
                        "oauth-service could not be reached: " + failure.getClass().getSimpleName()))
                .invoke(response -> check(response, integrationId))
                .replaceWithVoid();
    }

    private String url(UUID integrationId) {
        return config.baseUrl().replaceAll("/+$", "") + "/internal/credentials/" + integrationId;
    }

    private static void check(HttpResponse<?> response, UUID integrationId) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        throw switch (status) {
            case 404 -> new CredentialException(CredentialException.Reason.MISSING,
                    "oauth-service holds no credential for integration " + integrationId);
            case 409 -> new CredentialException(CredentialException.Reason.REAUTH_REQUIRED,
                    "the provider refused the credential of integration " + integrationId
                            + "; the user has to connect again");
            case 401, 403 -> new CredentialException(CredentialException.Reason.REFUSED,
                    "oauth-service refused this service's token (HTTP " + status + ")");
            default -> new CredentialException(CredentialException.Reason.UNAVAILABLE,
                    "oauth-service answered HTTP " + status);
        };
    }

    private Uni<String> bearer() {
        Tokens current = serviceToken.get();
        if (current != null && !current.isAccessTokenExpired() && !current.isAccessTokenWithinRefreshInterval()) {
            return Uni.createFrom().item(current.getAccessToken());
        }
        return oidc.getTokens()
                .onFailure().transform(failure -> new CredentialException(CredentialException.Reason.UNAVAILABLE,
                        "no client-credentials token from the identity provider: "
                                + failure.getClass().getSimpleName()))
                .invoke(serviceToken::set)
                .map(Tokens::getAccessToken);
    }

    private JsonNode parse(String body) {
        try {
            return body == null ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (IOException e) {
            throw new CredentialException(CredentialException.Reason.UNAVAILABLE, "oauth-service answered no JSON");
        }
    }
}
