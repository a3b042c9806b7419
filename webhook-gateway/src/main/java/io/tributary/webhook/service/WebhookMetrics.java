package io.tributary.webhook.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code integrations_webhooks_total{provider,result}} (accepted, duplicate, ignored, ping,
 * bad_signature, stale, malformed, too_large, rate_limited, forbidden_source,
 * unsupported_media_type), {@code integrations_webhook_verification_seconds{provider}} and
 * {@code integrations_webhook_intake_seconds{provider,outcome}}: from the request to its answer,
 * stored and handed to the outbox (the outbox's own lag meter covers the way on to Kafka).
 * Providers are only configured ones, so the series are bounded; meters are looked up once.
 */
@ApplicationScoped
public class WebhookMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void counted(String provider, String result) {
        counters.computeIfAbsent(provider + '\n' + result, key -> Counter.builder("integrations_webhooks")
                .tags("provider", provider, "result", result).register(registry)).increment();
    }

    void verified(String provider, long startedNanos) {
        timers.computeIfAbsent("verification\n" + provider, key -> Timer.builder("integrations_webhook_verification")
                        .tags("provider", provider).publishPercentileHistogram().register(registry))
                .record(Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    void intake(String provider, String outcome, long startedNanos) {
        timers.computeIfAbsent("intake\n" + provider + '\n' + outcome, key -> Timer.builder("integrations_webhook_intake")
                        .tags("provider", provider, "outcome", outcome).publishPercentileHistogram().register(registry))
                .record(Duration.ofNanos(System.nanoTime() - startedNanos));
    }
}
