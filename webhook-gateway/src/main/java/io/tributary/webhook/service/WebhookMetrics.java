package io.tributary.webhook.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * {@code integrations_webhooks_total{provider,result}} (accepted, duplicate, bad_signature, stale,
 * malformed) and {@code integrations_webhook_verification_seconds{provider}}.
 */
@ApplicationScoped
public class WebhookMetrics {

    private final MeterRegistry registry;

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void counted(String provider, String result) {
        Counter.builder("integrations_webhooks").tags("provider", provider, "result", result)
                .register(registry).increment();
    }

    void verified(String provider, long startedNanos) {
        Timer.builder("integrations_webhook_verification").tags("provider", provider).publishPercentileHistogram()
                .register(registry).record(Duration.ofNanos(System.nanoTime() - startedNanos));
    }
}
