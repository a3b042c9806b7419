package io.tributary.webhook.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import io.tributary.kit.persistence.DatabaseErrors;
import io.tributary.kit.problem.ProblemException;
import io.tributary.webhook.config.WebhookConfig;
import io.tributary.webhook.repository.WebhookEndpointRepository;
import io.tributary.webhook.repository.WebhookEndpointRepository.StoredEndpoint;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Per-connection endpoints: each has its own unguessable URL token (only its hash is kept), its
 * own signing secrets (sealed; two during a rotation), the event types it takes and an optional
 * source allow-list. Deleting an integration deactivates its endpoints.
 */
@ApplicationScoped
public class WebhookEndpoints {

    /** The URL token: 32 random bytes, base64url; anything else is not one of ours. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookConfig config;
    private final WebhookEndpointRepository endpoints;
    private final EndpointSecrets secrets;

    public WebhookEndpoints(WebhookConfig config, WebhookEndpointRepository endpoints, EndpointSecrets secrets) {
        this.config = config;
        this.endpoints = endpoints;
        this.secrets = secrets;
    }

    /** What an operator asks for. */
    public record Registration(String provider, UUID integrationId, String providerAccount, List<String> secrets,
            List<String> eventTypes, List<String> allowedSources) {
    }

    /** A new endpoint and the token of its URL, shown this once. */
    public record Created(StoredEndpoint endpoint, String token) {
    }

    /** A live endpoint a delivery arrived at, with its secrets opened. */
    public record Resolved(UUID id, UUID integrationId, String providerAccount, List<String> secrets,
            List<String> eventTypes) {
    }

    public Uni<Created> register(Registration registration) {
        WebhookConfig.ProviderSettings settings = config.providers().get(registration.provider());
        if (settings == null) {
            throw ProblemException.invalid("provider", "is not a provider webhooks are taken from");
        }
        List<String> given = registration.secrets() == null ? List.of() : registration.secrets();
        boolean signed = signsWithOwnSecret(settings.scheme());
        if (signed && given.isEmpty()) {
            throw ProblemException.invalid("secrets", "one or two signing secrets are required for "
                    + registration.provider());
        }
        if (!signed && !given.isEmpty()) {
            throw ProblemException.invalid("secrets", registration.provider() + " signs nothing with a secret of ours");
        }
        UUID id = UUID.randomUUID();
        String token = newToken();
        StoredEndpoint endpoint = new StoredEndpoint(id, registration.provider(), registration.integrationId(),
                blankToNull(registration.providerAccount()), signed ? secrets.seal(given, id) : null,
                orEmpty(registration.eventTypes()), orEmpty(registration.allowedSources()), true, Instant.now(),
                Instant.now());
        return endpoints.insert(endpoint, sha256(token))
                .onFailure().transform(WebhookEndpoints::explain)
                .map(stored -> new Created(stored, token));
    }

    public Uni<StoredEndpoint> get(UUID id) {
        return endpoints.find(id).map(found -> {
            if (found == null) {
                throw ProblemException.notFound("Webhook endpoint", id);
            }
            return found;
        });
    }

    public Uni<List<StoredEndpoint>> list(String provider, UUID integrationId, int limit) {
        return endpoints.list(provider, integrationId, limit);
    }

    /** Replaces the secrets: during a rotation, the new one and the old one; afterwards the new one alone. */
    public Uni<StoredEndpoint> replaceSecrets(UUID id, List<String> replacement) {
        return get(id).flatMap(endpoint -> {
            if (!endpoint.active()) {
                throw ProblemException.conflict("Webhook endpoint " + id + " is deactivated");
            }
            if (!signsWithOwnSecret(config.providers().get(endpoint.provider()).scheme())) {
                throw ProblemException.invalid("secrets", endpoint.provider() + " signs nothing with a secret of ours");
            }
            return endpoints.replaceSecrets(id, secrets.seal(replacement, id));
        });
    }

    public Uni<StoredEndpoint> deactivate(UUID id) {
        return endpoints.deactivate(id).map(found -> {
            if (found == null) {
                throw ProblemException.notFound("Webhook endpoint", id);
            }
            return found;
        });
    }

    public int secretCount(StoredEndpoint endpoint) {
        return endpoint.secrets() == null ? 0 : secrets.open(endpoint.secrets(), endpoint.id()).size();
    }

    /**
     * The live endpoint of {@code provider} behind a URL token, when {@code source} may deliver to
     * it. An unknown, deactivated or other provider's token is not found, alike.
     */
    public Uni<Resolved> resolve(String provider, String token, String source) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Uni.createFrom().failure(ProblemException.notFound("Webhook endpoint for provider", provider));
        }
        return endpoints.route(provider, sha256(token), source).map(route -> {
            if (route == null) {
                throw ProblemException.notFound("Webhook endpoint for provider", provider);
            }
            if (!route.sourceAllowed()) {
                throw new SourceRefused();
            }
            StoredEndpoint endpoint = route.endpoint();
            return new Resolved(endpoint.id(), endpoint.integrationId(), endpoint.providerAccount(),
                    endpoint.secrets() == null ? List.of() : secrets.open(endpoint.secrets(), endpoint.id()),
                    endpoint.eventTypes());
        });
    }

    /** integration-events: a deleted integration's endpoints stop taking deliveries, in the inbox's transaction. */
    public Uni<Void> apply(IntegrationEvent event) {
        if (event.type() != IntegrationEventType.DELETED) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery("UPDATE {h-schema}webhook_endpoints "
                        + "SET active = false, updated_at = now() WHERE integration_id = :integration AND active")
                .setParameter("integration", event.integrationId())
                .executeUpdate()).replaceWithVoid();
    }

    /** A delivery from outside the endpoint's source allow-list. */
    public static class SourceRefused extends RuntimeException {
        SourceRefused() {
            super("the source address is not on the endpoint's allow-list", null, false, false);
        }
    }

    /** Schemes whose signature uses a secret we hold (not Plaid's published keys, not unsigned providers). */
    static boolean signsWithOwnSecret(WebhookConfig.Scheme scheme) {
        return scheme != WebhookConfig.Scheme.PLAID && scheme != WebhookConfig.Scheme.URL_SECRET;
    }

    private static Throwable explain(Throwable failure) {
        if (DatabaseErrors.isUniqueViolation(failure)) {
            return ProblemException.conflict("That provider account already has a live webhook endpoint");
        }
        if (failure instanceof PgException pg && "22P02".equals(pg.getSqlState())) {
            return ProblemException.invalid("allowedSources", "each entry must be an IP address or CIDR range");
        }
        return failure;
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::trim).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
