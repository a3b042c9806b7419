package io.tributary.webhook.rest;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.tributary.webhook.config.WebhookConfig;
import io.tributary.webhook.service.WebhookMetrics;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Counts deliveries refused as too large ({@code result="too_large"}): the 413 is answered before
 * any resource runs, so it is counted when the answer goes out.
 */
@ApplicationScoped
public class OversizedDeliveryCounter {

    private static final String PREFIX = "/api/integrations/webhooks/";

    private final WebhookConfig config;
    private final WebhookMetrics metrics;

    public OversizedDeliveryCounter(WebhookConfig config, WebhookMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    void register(@Observes Filters filters) {
        // before the service kit's body-size filter (priority 1000), so its answer is seen
        filters.register(this::countWhenTooLarge, 1100);
    }

    private void countWhenTooLarge(RoutingContext context) {
        String path = context.request().path();
        if (path != null && path.startsWith(PREFIX)) {
            context.addHeadersEndHandler(ignored -> {
                if (context.response().getStatusCode() == 413) {
                    String provider = path.substring(PREFIX.length()).split("/", 2)[0];
                    // only configured providers are tags: a made-up name must not mint a new time series
                    if (config.providers().containsKey(provider)) {
                        metrics.counted(provider, "too_large");
                    }
                }
            });
        }
        context.next();
    }
}
