package io.tributary.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** api-gateway settings, under {@code gateway.*}. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * Routes by name. A request goes to the route with the lowest {@code order} whose
     * {@code pattern} (a regular expression over the whole path) matches; none matching is a 404.
     */
    Map<String, Route> routes();

    /** How long an upstream may take to answer before the caller gets a 504. */
    @WithDefault("60s")
    Duration upstreamTimeout();

    interface Route {

        int order();

        String pattern();

        /** The service's base URL, e.g. {@code http://localhost:8082}. */
        String target();
    }
}
