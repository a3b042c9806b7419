package io.tributary.webhook.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.tributary.kit.problem.ProblemException;
import io.tributary.webhook.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * One token bucket per route (a per-connection endpoint, or a provider-wide route), so a flood at
 * one is answered 429 while every other keeps its own budget. Buckets of routes that went quiet
 * are dropped; the cache is bounded, so made-up endpoint ids cannot exhaust memory.
 */
@ApplicationScoped
public class DeliveryRateLimiter {

    private final WebhookConfig.RateLimit limits;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    public DeliveryRateLimiter(WebhookConfig config) {
        this.limits = config.rateLimit();
    }

    /** Takes one delivery from the route's budget; throws 429 with {@code Retry-After} when it is spent. */
    public void admit(String provider, String endpointToken) {
        boolean endpoint = endpointToken != null;
        String route = endpoint ? provider + "/" + endpointToken : provider;
        Bucket bucket = buckets.get(route, key -> endpoint
                ? bucket(limits.perEndpoint(), limits.endpointBurst())
                : bucket(limits.perProvider(), limits.providerBurst()));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw ProblemException.rateLimited("Too many webhook deliveries to this " + (endpoint ? "endpoint" : "route"),
                    Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }

    private static Bucket bucket(long perSecond, long burst) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(Math.max(burst, perSecond))
                        .refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build();
    }
}
