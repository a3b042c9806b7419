package io.tributary.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.ProblemType;
import io.tributary.webhook.config.WebhookConfig;
import io.tributary.webhook.config.WebhookConfig.Scheme;
import io.tributary.webhook.verification.EventDescription;
import io.tributary.webhook.verification.HubSpotSignatureVerifier;
import io.tributary.webhook.verification.PayPalSignatureVerifier;
import io.tributary.webhook.verification.PlaidSignatureVerifier;
import io.tributary.webhook.verification.QuickBooksSignatureVerifier;
import io.tributary.webhook.verification.SignatureRejected;
import io.tributary.webhook.verification.SignedRequest;
import io.tributary.webhook.verification.StandardWebhooksVerifier;
import io.tributary.webhook.verification.StripeSignatureVerifier;
import io.tributary.webhook.verification.UrlSecretScheme;
import io.tributary.webhook.verification.WebhookVerifier;
import io.tributary.webhook.verification.XeroSignatureVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;

import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Takes a delivery: admits it within its route's rate, finds its endpoint (per-connection routes),
 * verifies its signature over the raw bytes, names its event, stores it once (a replay finds its
 * event id already there) and publishes {@code webhook-received} through the outbox in the same
 * transaction. Nothing unverified is stored.
 */
@ApplicationScoped
public class WebhookIntake {

    /** Headers never stored: credentials a misconfigured sender might add. */
    private static final Set<String> UNSTORED_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");
    private static final MediaType FORM = MediaType.APPLICATION_FORM_URLENCODED_TYPE;

    private final WebhookConfig config;
    private final Map<Scheme, WebhookVerifier> verifiers;
    private final WebhookEndpoints endpoints;
    private final DeliveryRateLimiter rateLimiter;
    private final EventStore eventStore;
    private final ObjectMapper mapper;
    private final WebhookMetrics metrics;

    public WebhookIntake(WebhookConfig config, StripeSignatureVerifier stripe, StandardWebhooksVerifier standard,
            QuickBooksSignatureVerifier quickbooks, XeroSignatureVerifier xero, HubSpotSignatureVerifier hubspot,
            PlaidSignatureVerifier plaid, PayPalSignatureVerifier paypal, UrlSecretScheme unsigned,
            WebhookEndpoints endpoints, DeliveryRateLimiter rateLimiter, EventStore eventStore, ObjectMapper mapper,
            WebhookMetrics metrics) {
        this.config = config;
        this.verifiers = Map.of(Scheme.STRIPE, stripe, Scheme.STANDARD_WEBHOOKS, standard, Scheme.QUICKBOOKS, quickbooks,
                Scheme.XERO, xero, Scheme.HUBSPOT, hubspot, Scheme.PLAID, plaid, Scheme.PAYPAL, paypal,
                Scheme.URL_SECRET, unsigned);
        this.endpoints = endpoints;
        this.rateLimiter = rateLimiter;
        this.eventStore = eventStore;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    public enum Outcome { ACCEPTED, DUPLICATE, PING, IGNORED }

    /**
     * A delivery as it arrived: {@code endpointToken} is the per-connection URL segment (null on a
     * provider-wide route), {@code source} the sender's address.
     */
    public record Delivery(String provider, String endpointToken, MediaType mediaType, String source,
            SignedRequest request, Map<String, String> headers) {
    }

    /** Where it was delivered, once its endpoint is known. */
    private record Target(String provider, Scheme scheme, WebhookEndpoints.Resolved endpoint, List<String> secrets) {
    }

    /** Whether the provider wants an empty 200 (Xero); others get a short JSON answer. */
    public boolean answersWithoutBody(String provider) {
        WebhookConfig.ProviderSettings settings = config.providers().get(provider);
        return settings != null && settings.scheme() == Scheme.XERO;
    }

    public Uni<Outcome> receive(Delivery delivery) {
        long started = System.nanoTime();
        String provider = delivery.provider();
        WebhookConfig.ProviderSettings settings = config.providers().get(provider);
        if (settings == null) {
            throw ProblemException.notFound("Webhook route for provider", provider);
        }
        try {
            rateLimiter.admit(provider, delivery.endpointToken());
        } catch (ProblemException limited) {
            metrics.counted(provider, "rate_limited");
            throw limited;
        }
        checkMediaType(delivery, settings.scheme());
        return target(delivery, settings)
                .flatMap(target -> verify(delivery, target, settings).replaceWith(target))
                .flatMap(target -> accept(delivery, target))
                .invoke(outcome -> metrics.intake(provider, outcome.name().toLowerCase(Locale.ROOT), started));
    }

    private Uni<Target> target(Delivery delivery, WebhookConfig.ProviderSettings settings) {
        String provider = delivery.provider();
        if (delivery.endpointToken() == null) {
            if (settings.scheme() == Scheme.URL_SECRET) {
                // unsigned providers are only taken at an endpoint's own secret URL
                return Uni.createFrom().failure(ProblemException.notFound("Webhook route for provider", provider));
            }
            return Uni.createFrom().item(new Target(provider, settings.scheme(), null,
                    settings.secrets().orElse(List.of())));
        }
        return endpoints.resolve(provider, delivery.endpointToken(), delivery.source())
                .onFailure(WebhookEndpoints.SourceRefused.class).transform(refused -> {
                    metrics.counted(provider, "forbidden_source");
                    Log.warnf("Refused a %s webhook from %s: not on the endpoint's allow-list", provider,
                            delivery.source());
                    return new ProblemException(ProblemType.FORBIDDEN, "This endpoint does not take deliveries from "
                            + "this address");
                })
                .map(endpoint -> new Target(provider, settings.scheme(), endpoint, endpoint.secrets()));
    }

    private Uni<Void> verify(Delivery delivery, Target target, WebhookConfig.ProviderSettings settings) {
        long started = System.nanoTime();
        return verifiers.get(target.scheme())
                .verify(delivery.request(), target.secrets(), settings.tolerance(), Instant.now())
                .eventually(() -> metrics.verified(delivery.provider(), started))
                .onFailure(SignatureRejected.class).transform(failure -> {
                    SignatureRejected rejected = (SignatureRejected) failure;
                    String result = rejected.reason() == SignatureRejected.Reason.STALE ? "stale" : "bad_signature";
                    metrics.counted(delivery.provider(), result);
                    Log.warnf("Refused a %s webhook: %s", delivery.provider(), rejected.getMessage());
                    return new ProblemException(ProblemType.UNAUTHORIZED, "The webhook signature does not verify");
                });
    }

    private Uni<Outcome> accept(Delivery delivery, Target target) {
        JsonNode payload = parse(delivery);
        EventDescription described = verifiers.get(target.scheme()).describe(delivery.request(), payload);
        if (described.ping()) {
            metrics.counted(delivery.provider(), "ping");
            return Uni.createFrom().item(Outcome.PING);
        }
        String eventType = described.eventType() != null ? described.eventType() : "unknown";
        if (target.endpoint() != null && !target.endpoint().eventTypes().isEmpty()
                && !target.endpoint().eventTypes().contains(eventType)) {
            metrics.counted(delivery.provider(), "ignored");
            return Uni.createFrom().item(Outcome.IGNORED);
        }
        String eventId = storable(described.eventId()) ? described.eventId() : sha256(delivery.request().body());
        boolean unsigned = target.scheme() == Scheme.URL_SECRET;
        // an unsigned payload cannot say whose it is: the endpoint does
        String account = target.endpoint() != null && (unsigned || described.account() == null)
                ? target.endpoint().providerAccount() : described.account();
        JsonNode published = described.hint() != null ? described.hint() : payload;
        return store(delivery, target, new Named(eventId, eventType, account), published,
                unsigned ? "url_secret" : "signature")
                .invoke(outcome -> metrics.counted(delivery.provider(),
                        outcome == Outcome.ACCEPTED ? "accepted" : "duplicate"));
    }

    private record Named(String eventId, String eventType, String account) {
    }

    private Uni<Outcome> store(Delivery delivery, Target target, Named event, JsonNode published, String verification) {
        boolean unsigned = "url_secret".equals(verification);
        return eventStore.store(new EventStore.NewEvent(delivery.provider(),
                        target.endpoint() == null ? null : target.endpoint().id(), event.eventId(), event.eventType(),
                        event.account(), target.endpoint() == null ? null : target.endpoint().integrationId(),
                        storedHeaders(delivery.headers()), delivery.request().body(), verification,
                        unsigned ? published.toString() : null, published))
                .map(inserted -> inserted ? Outcome.ACCEPTED : Outcome.DUPLICATE);
    }

    private void checkMediaType(Delivery delivery, Scheme scheme) {
        MediaType type = delivery.mediaType();
        boolean json = type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE);
        boolean form = type != null && scheme == Scheme.URL_SECRET && type.isCompatible(FORM);
        if (!json && !form) {
            metrics.counted(delivery.provider(), "unsupported_media_type");
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, scheme == Scheme.URL_SECRET
                    ? "Webhooks are accepted as application/json or application/x-www-form-urlencoded"
                    : "Webhooks are accepted as application/json");
        }
    }

    private JsonNode parse(Delivery delivery) {
        try {
            if (delivery.mediaType().isCompatible(FORM)) {
                return form(delivery.request().body());
            }
            JsonNode payload = mapper.readTree(delivery.request().body());
            if (payload == null || !(payload.isObject() || payload.isArray())) {
                throw new IllegalArgumentException("not a JSON document");
            }
            return payload;
        } catch (Exception e) {
            metrics.counted(delivery.provider(), "malformed");
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The webhook body is not a "
                    + (delivery.mediaType().isCompatible(FORM) ? "form" : "JSON document"));
        }
    }

    /** A form body as an object of its flat keys (the first value of each). */
    private ObjectNode form(byte[] body) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
        ObjectNode fields = mapper.createObjectNode();
        new QueryStringDecoder(text, StandardCharsets.UTF_8, false, 10_000).parameters()
                .forEach((name, values) -> fields.put(name, values.isEmpty() ? "" : values.get(0)));
        return fields;
    }

    private String storedHeaders(Map<String, String> headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!UNSTORED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                // jsonb cannot hold NUL
                kept.put(name.toLowerCase(Locale.ROOT).replace("\u0000", ""), value.replace("\u0000", ""));
            }
        });
        try {
            return mapper.writeValueAsString(kept);
        } catch (Exception e) {
            return "{}";
        }
    }

    /** Whether a header-given id can be stored as text (PostgreSQL text holds no NUL). */
    private static boolean storable(String id) {
        return id != null && !id.isBlank() && id.length() <= 255 && id.indexOf('\u0000') < 0;
    }

    /** The id of a delivery that names none: the hash of its bytes, so a replay still matches. */
    private static String sha256(byte[] body) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
