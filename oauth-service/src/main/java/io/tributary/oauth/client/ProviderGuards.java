package io.tributary.oauth.client;

import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.tributary.oauth.config.OAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One SmallRye Fault Tolerance guard per provider around its token calls: transient failures (5xx,
 * 429, timeouts) are retried with exponential backoff and jitter, and a circuit breaker stops
 * calling a provider that keeps failing. Retry is the outer layer, so every attempt counts toward
 * the breaker. A refused grant is neither retried nor counted.
 */
@ApplicationScoped
public class ProviderGuards {

    private static final TypeLiteral<Uni<TokenResponse>> TOKENS = new TypeLiteral<>() {
    };

    private final OAuthConfig.Resilience config;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    public ProviderGuards(OAuthConfig config) {
        this.config = config.resilience();
    }

    public Uni<TokenResponse> call(String provider, Supplier<Uni<TokenResponse>> tokenCall) {
        return guards.computeIfAbsent(provider, this::guardFor).get(tokenCall, TOKENS)
                .onFailure(CircuitBreakerOpenException.class).transform(open -> new ProviderException(
                        ProviderException.Kind.UNAVAILABLE, provider + " is failing; calls paused by its circuit breaker",
                        null));
    }

    private Guard guardFor(String provider) {
        return Guard.create()
                .withDescription("token calls to " + provider)
                .withRetry()
                    .maxRetries(config.maxRetries())
                    .delay(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(config.retryDelay().toMillis() / 2, ChronoUnit.MILLIS)
                    .whenException(ProviderGuards::isTransient)
                    .withExponentialBackoff().factor(2).maxDelay(2, ChronoUnit.SECONDS).done()
                    .done()
                .withCircuitBreaker()
                    .name("provider-" + provider)
                    .requestVolumeThreshold(config.circuitBreakerVolume())
                    .failureRatio(0.5)
                    .delay(config.circuitBreakerDelay().toMillis(), ChronoUnit.MILLIS)
                    .when(ProviderGuards::isTransient)
                    .done()
                .build();
    }

    private static boolean isTransient(Throwable failure) {
        return failure instanceof ProviderException provider && provider.kind() == ProviderException.Kind.UNAVAILABLE;
    }
}
