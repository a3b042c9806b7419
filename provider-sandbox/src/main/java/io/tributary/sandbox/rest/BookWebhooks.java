package io.tributary.sandbox.rest;

import io.tributary.sandbox.service.Ledgers;
import io.tributary.sandbox.service.StripeLedger;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The collections of the generated books, and the webhook each provider sends when one changes. */
@ApplicationScoped
public class BookWebhooks {

    /** Collection names per provider, as the provider's API names them. */
    static final Map<String, Set<String>> COLLECTIONS = Map.of(
            "stripe", Set.of(StripeLedger.COLLECTION));

    private final StripeLedger stripe;

    public BookWebhooks(StripeLedger stripe) {
        this.stripe = stripe;
    }

    /** The event body the provider would send about a churn, when it sends one. */
    Optional<byte[]> event(String provider, String account, String collection, Ledgers.Churned churned) {
        if ("stripe".equals(provider)) {
            // funds moved: Stripe tells a Connect platform with the account's balance.available
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("id", "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
            event.put("object", "event");
            event.put("account", account);
            event.put("api_version", "2025-09-30.clover");
            event.put("created", Instant.now().getEpochSecond());
            event.put("livemode", false);
            event.put("pending_webhooks", 1);
            event.put("type", "balance.available");
            event.put("data", Map.of("object", stripe.balance(account)));
            return Optional.of(Json.bytes(event));
        }
        return Optional.empty();
    }
}
