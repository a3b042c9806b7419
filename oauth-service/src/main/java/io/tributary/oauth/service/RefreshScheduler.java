package io.tributary.oauth.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.CredentialEventType;
import io.tributary.oauth.Credential;
import io.tributary.oauth.config.OAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Keeps credentials alive ahead of time: refreshes tokens expiring within the refresh window, and
 * warns ({@code expiring-soon}, once) when a consent or refresh token will run out in a way no
 * refresh can fix, so the user re-authorizes before data stops. Replicas may run it at the same
 * time: each refresh happens under the credential's row lock with the expiry re-checked.
 */
@ApplicationScoped
public class RefreshScheduler {

    private final CredentialService credentials;
    private final CredentialMetrics metrics;
    private final OAuthConfig.Refresh config;

    public RefreshScheduler(CredentialService credentials, CredentialMetrics metrics, OAuthConfig config) {
        this.credentials = credentials;
        this.metrics = metrics;
        this.config = config.refresh();
    }

    public record RefreshRound(int candidates, int refreshed, int failed) {
    }

    @Scheduled(every = "${oauth.refresh.every:60s}", delayed = "15s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> onSchedule() {
        return refreshExpiring()
                .chain(this::forecastExpiries)
                .chain(metrics::recount)
                .onFailure().invoke(e -> Log.warnf("Refresh round failed: %s", e.getClass().getSimpleName()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One round of the proactive refresh; also what {@code POST /refresh-expired-tokens} runs. */
    public Uni<RefreshRound> refreshExpiring() {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT CAST(integration_id AS text) FROM {h-schema}credentials WHERE state = 'active' "
                                + "AND refresh_token IS NOT NULL AND expires_at < :horizon ORDER BY expires_at LIMIT :limit",
                        String.class)
                .setParameter("horizon", Instant.now().plus(config.window()))
                .setParameter("limit", config.batchSize())
                .getResultList()))
                .flatMap(candidates -> Multi.createFrom().iterable(candidates)
                        .onItem().transformToUniAndConcatenate(id -> credentials
                                .refreshIfExpiringWithin(UUID.fromString(id), config.window())
                                .replaceWith(true)
                                .onFailure().recoverWithItem(false))
                        .collect().asList()
                        .map(results -> round(candidates, results)));
    }

    private static RefreshRound round(List<String> candidates, List<Boolean> results) {
        int refreshed = (int) results.stream().filter(Boolean::booleanValue).count();
        return new RefreshRound(candidates.size(), refreshed, results.size() - refreshed);
    }

    /** Announces each consent or refresh-token expiry inside the forecast window once; answers how many. */
    @WithTransaction
    public Uni<Integer> forecastExpiries() {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "SELECT * FROM {h-schema}credentials WHERE state = 'active' AND expiry_notified_at IS NULL "
                                + "AND least(consent_expires_at, refresh_expires_at) < :horizon "
                                + "ORDER BY least(consent_expires_at, refresh_expires_at) LIMIT :limit "
                                + "FOR UPDATE SKIP LOCKED", Credential.class)
                .setParameter("horizon", Instant.now().plus(config.forecast()))
                .setParameter("limit", config.batchSize())
                .getResultList())
                .flatMap(expiring -> Multi.createFrom().iterable(expiring)
                        .onItem().transformToUniAndConcatenate(credential -> {
                            credential.expiryNotifiedAt = Instant.now();
                            Instant hardExpiry = earliest(credential.consentExpiresAt, credential.refreshExpiresAt);
                            return credentials.emit(credential, CredentialEventType.EXPIRING_SOON, hardExpiry)
                                    .replaceWith(credential.integrationId);
                        })
                        .collect().asList()
                        .map(List::size));
    }

    private static Instant earliest(Instant first, Instant second) {
        if (first == null) {
            return second;
        }
        return second == null || first.isBefore(second) ? first : second;
    }
}
