package io.tributary.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.WebhookReceived;
import io.tributary.kit.outbox.Outbox;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.ProblemType;
import io.tributary.webhook.config.WebhookConfig;
import io.tributary.webhook.verification.EventDescription;
import io.tributary.webhook.verification.HubSpotSignatureVerifier;
import io.tributary.webhook.verification.PayPalSignatureVerifier;
import io.tributary.webhook.verification.PlaidSignatureVerifier;
import io.tributary.webhook.verification.QuickBooksSignatureVerifier;
import io.tributary.webhook.verification.SignatureRejected;
import io.tributary.webhook.verification.SignedRequest;
import io.tributary.webhook.verification.StandardWebhooksVerifier;
import io.tributary.webhook.verification.StripeSignatureVerifier;
import io.tributary.webhook.verification.WebhookVerifier;
import io.tributary.webhook.verification.XeroSignatureVerifier;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Takes a delivery: verifies its signature over the raw bytes, reads its event id and type,
 * stores it once (a replay finds its event id already there) and publishes {@code webhook-received}
 * through the outbox in the same transaction. Nothing unverified is stored.
 */
@ApplicationScoped
public class WebhookIntake {

    /** Headers never stored: credentials a misconfigured sender might add. */
    private static final Set<String> UNSTORED_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

    private final WebhookConfig config;
    private final Map<WebhookConfig.Scheme, WebhookVerifier> verifiers;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final WebhookMetrics metrics;

    public WebhookIntake(WebhookConfig config, StripeSignatureVerifier stripe, StandardWebhooksVerifier standard,
            QuickBooksSignatureVerifier quickbooks, XeroSignatureVerifier xero, HubSpotSignatureVerifier hubspot,
            PlaidSignatureVerifier plaid, PayPalSignatureVerifier paypal, Outbox outbox, ObjectMapper mapper, WebhookMetrics metrics) {
        this.config = config;
        this.verifiers = Map.of(WebhookConfig.Scheme.STRIPE, stripe, WebhookConfig.Scheme.STANDARD_WEBHOOKS, standard,
                WebhookConfig.Scheme.QUICKBOOKS, quickbooks, WebhookConfig.Scheme.XERO, xero,
                WebhookConfig.Scheme.HUBSPOT, hubspot, WebhookConfig.Scheme.PLAID, plaid,
                WebhookConfig.Scheme.PAYPAL, paypal);
        this.outbox = outbox;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    public enum Outcome { ACCEPTED, DUPLICATE, PING }

    /** A delivery as it arrived. */
    public record Delivery(String provider, String endpointId, SignedRequest request, Map<String, String> headers) {
    }

    /** Whether the provider wants an empty 200 (Xero); others get a short JSON answer. */
    public boolean answersWithoutBody(String provider) {
        WebhookConfig.ProviderSettings settings = config.providers().get(provider);
        return settings != null && settings.scheme() == WebhookConfig.Scheme.XERO;
    }

    public Uni<Outcome> receive(Delivery delivery) {
        WebhookConfig.ProviderSettings settings = config.providers().get(delivery.provider());
        if (settings == null) {
            throw ProblemException.notFound("Webhook route for provider", delivery.provider());
        }
        WebhookVerifier verifier = verifiers.get(settings.scheme());
        long started = System.nanoTime();
        return verifier.verify(delivery.request(), settings.secrets().orElse(List.of()), settings.tolerance(), Instant.now())
                .eventually(() -> metrics.verified(delivery.provider(), started))
                .onFailure(SignatureRejected.class).transform(failure -> {
                    SignatureRejected rejected = (SignatureRejected) failure;
                    String result = rejected.reason() == SignatureRejected.Reason.STALE ? "stale" : "bad_signature";
                    metrics.counted(delivery.provider(), result);
                    Log.warnf("Refused a %s webhook: %s", delivery.provider(), rejected.getMessage());
                    return new ProblemException(ProblemType.UNAUTHORIZED, "The webhook signature does not verify");
                })
                .chain(() -> accept(delivery, verifier));
    }

    private Uni<Outcome> accept(Delivery delivery, WebhookVerifier verifier) {
        JsonNode payload = parse(delivery);
        EventDescription described = verifier.describe(delivery.request(), payload);
        if (described.ping()) {
            metrics.counted(delivery.provider(), "ping");
            return Uni.createFrom().item(Outcome.PING);
        }
        String eventId = described.eventId() != null ? described.eventId() : sha256(delivery.request().body());
        String eventType = described.eventType() != null ? described.eventType() : "unknown";
        return store(delivery, eventId, eventType, described.account(), payload)
                .invoke(outcome -> metrics.counted(delivery.provider(), outcome == Outcome.ACCEPTED ? "accepted" : "duplicate"));
    }

    private Uni<Outcome> store(Delivery delivery, String eventId, String eventType, String account, JsonNode payload) {
        UUID id = UUID.randomUUID();
        Instant receivedAt = Instant.now();
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery("INSERT INTO {h-schema}webhook_events (id, provider, "
                                + "endpoint_id, provider_event_id, event_type, provider_account, headers, body, received_at, "
                                + "verification) VALUES (:id, :provider, :endpoint, :eventId, :eventType, :account, "
                                + "CAST(CAST(:headers AS text) AS jsonb), :body, :receivedAt, 'verified') "
                                + "ON CONFLICT (provider, provider_event_id) DO NOTHING")
                        .setParameter("id", id)
                        .setParameter("provider", delivery.provider())
                        .setParameter("endpoint", delivery.endpointId())
                        .setParameter("eventId", eventId)
                        .setParameter("eventType", eventType)
                        .setParameter("account", account)
                        .setParameter("headers", storedHeaders(delivery.headers()))
                        .setParameter("body", delivery.request().body())
                        .setParameter("receivedAt", receivedAt)
                        .executeUpdate())
                .flatMap(inserted -> inserted == 0 ? Uni.createFrom().item(Outcome.DUPLICATE)
                        : outbox.add(new WebhookReceived(id, delivery.provider(), eventId, account, eventType, null,
                                receivedAt, payload)).replaceWith(Outcome.ACCEPTED)));
    }

    private JsonNode parse(Delivery delivery) {
        try {
            JsonNode payload = mapper.readTree(delivery.request().body());
            if (payload == null || !(payload.isObject() || payload.isArray())) {
                throw new IllegalArgumentException("not a JSON document");
            }
            return payload;
        } catch (Exception e) {
            metrics.counted(delivery.provider(), "malformed");
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The webhook body is not a JSON document");
        }
    }

    private String storedHeaders(Map<String, String> headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!UNSTORED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                kept.put(name.toLowerCase(Locale.ROOT), value);
            }
        });
        try {
            return mapper.writeValueAsString(kept);
        } catch (Exception e) {
            return "{}";
        }
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
