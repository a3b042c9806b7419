package io.tributary.webhook.verification;

import io.smallrye.mutiny.Uni;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.ProblemType;
import io.tributary.webhook.config.WebhookConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.lang.JoseException;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plaid's webhook verification keys by {@code kid}, fetched from {@code /webhook_verification_key/get}
 * on first sight of a kid and cached for a while. Expired keys are refused.
 */
@ApplicationScoped
public class PlaidVerificationKeys {

    private record Cached(JsonWebKey key, boolean expired, Instant fetchedAt) {
    }

    private final WebhookConfig.Plaid config;
    private final WebClient client;
    private final Map<String, Cached> keys = new ConcurrentHashMap<>();

    public PlaidVerificationKeys(WebhookConfig config, Vertx vertx) {
        this.config = config.plaid();
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(3_000));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public Uni<JsonWebKey> key(String kid) {
        Cached cached = keys.get(kid);
        if (cached != null && cached.fetchedAt().plus(config.keyCacheLifetime()).isAfter(Instant.now())) {
            return usable(cached);
        }
        return fetch(kid).invoke(fetched -> keys.put(kid, fetched)).flatMap(PlaidVerificationKeys::usable);
    }

    private static Uni<JsonWebKey> usable(Cached cached) {
        return cached.expired()
                ? Uni.createFrom().failure(new SignatureRejected(SignatureRejected.Reason.STALE, "Plaid key is expired"))
                : Uni.createFrom().item(cached.key());
    }

    private Uni<Cached> fetch(String kid) {
        JsonObject request = new JsonObject().put("client_id", config.clientId().orElse(""))
                .put("secret", config.secret().orElse("")).put("key_id", kid);
        return client.postAbs(config.baseUrl() + "/webhook_verification_key/get").timeout(5_000)
                .sendJsonObject(request)
                // Plaid unreachable: we cannot tell, so the delivery is not refused as forged; Plaid retries
                .onFailure().transform(e -> new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                        "Plaid's verification key cannot be fetched right now"))
                .map(response -> {
                    if (response.statusCode() >= 500) {
                        throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                                "Plaid's verification key cannot be fetched right now");
                    }
                    JsonObject key = response.statusCode() == 200 ? response.bodyAsJsonObject().getJsonObject("key") : null;
                    if (key == null) {
                        throw new SignatureRejected(SignatureRejected.Reason.MISMATCH, "Plaid knows no key " + kid);
                    }
                    try {
                        JsonWebKey jwk = JsonWebKey.Factory.newJwk(key.copy().getMap());
                        return new Cached(jwk, key.getValue("expired_at") != null, Instant.now());
                    } catch (JoseException e) {
                        throw new SignatureRejected(SignatureRejected.Reason.MALFORMED, "Plaid's key is unreadable");
                    }
                });
    }
}
