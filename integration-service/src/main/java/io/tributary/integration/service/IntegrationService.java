package io.tributary.integration.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.IntegrationEvent;
import io.tributary.contracts.event.IntegrationEventType;
import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationStatus;
import io.tributary.integration.LogStatus;
import io.tributary.integration.Provider;
import io.tributary.integration.SyncFrequency;
import io.tributary.integration.repository.IntegrationRepository;
import io.tributary.kit.outbox.Outbox;
import io.tributary.kit.persistence.DatabaseErrors;
import io.tributary.kit.problem.Problem;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Creates, reads, changes and deletes a user's integrations; every change is logged and published. */
@ApplicationScoped
public class IntegrationService {

    private final IntegrationRepository integrations;
    private final ProviderCatalogue catalogue;
    private final ActivityLog activity;
    private final Outbox outbox;
    private final ObjectMapper mapper;

    public IntegrationService(IntegrationRepository integrations, ProviderCatalogue catalogue, ActivityLog activity,
            Outbox outbox, ObjectMapper mapper) {
        this.integrations = integrations;
        this.catalogue = catalogue;
        this.activity = activity;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    public record PageOf<T>(List<T> items, int page, int size, long totalItems) {
    }

    @WithSession
    public Uni<PageOf<Integration>> list(IntegrationRepository.Filter filter, int page, int size) {
        return integrations.list(filter, page, size)
                .flatMap(items -> integrations.count(filter).map(total -> new PageOf<>(items, page, size, total)));
    }

    @WithSession
    public Uni<Integration> get(String userId, UUID id) {
        return integrations.findOwned(id, userId).onItem().ifNull().failWith(() -> notFound(id));
    }

    @WithTransaction
    public Uni<Integration> create(String userId, IntegrationCommands.Create command) {
        Provider provider = catalogue.find(command.provider())
                .orElseThrow(() -> ProblemException.invalid("provider", "unknown provider; see GET /api/integrations/providers"));
        if (!provider.isAvailable()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE,
                    provider.displayName() + " is planned but cannot be connected yet");
        }
        Map<String, Object> config = orEmpty(command.config());
        requireValidConfig(provider, config);
        Instant now = Instant.now();
        Integration integration = new Integration();
        integration.id = UUID.randomUUID();
        integration.userId = userId;
        integration.name = command.name().trim();
        integration.type = provider.type();
        integration.provider = provider.id();
        // a file import needs no credential; everything else waits for one from oauth-service
        integration.status = provider.needsCredentials() ? IntegrationStatus.DISCONNECTED : IntegrationStatus.CONNECTED;
        integration.config = config;
        integration.metadata = orEmpty(command.metadata());
        integration.syncFrequency(command.syncFrequency() != null ? command.syncFrequency() : provider.defaultFrequency());
        integration.createdAt = now;
        integration.updatedAt = now;
        integration.active = true;
        return integrations.persistAndFlush(integration)
                .onFailure(DatabaseErrors::isUniqueViolation).transform(e -> duplicateName(integration.name))
                .call(() -> activity.record(integration.id, "created", LogStatus.SUCCESS,
                        "Integration with " + provider.displayName() + " created", Map.of("provider", provider.id())))
                .call(() -> publish(integration, IntegrationEventType.CREATED))
                .replaceWith(integration);
    }

    @WithTransaction
    public Uni<Integration> update(String userId, UUID id, IntegrationCommands.Update command) {
        return integrations.findOwnedForUpdate(id, userId)
                .onItem().ifNull().failWith(() -> notFound(id))
                .flatMap(integration -> {
                    Provider provider = catalogue.find(integration.provider).orElseThrow();
                    Map<String, Object> config = orEmpty(command.config());
                    requireValidConfig(provider, config);
                    integration.name = command.name().trim();
                    integration.config = config;
                    integration.metadata = orEmpty(command.metadata());
                    SyncFrequency frequency = command.syncFrequency() != null ? command.syncFrequency()
                            : provider.defaultFrequency();
                    if (!frequency.equals(integration.syncFrequency())) {
                        integration.syncFrequency(frequency);
                        integration.nextSyncAt = nextSyncAfter(frequency, Instant.now());
                    }
                    integration.updatedAt = Instant.now();
                    return integrations.flush()
                            .onFailure(DatabaseErrors::isUniqueViolation).transform(e -> duplicateName(integration.name))
                            .call(() -> activity.record(integration.id, "updated", LogStatus.SUCCESS,
                                    "Integration settings changed", Map.of()))
                            .call(() -> publish(integration, IntegrationEventType.UPDATED))
                            .replaceWith(integration);
                });
    }

    /** Soft delete: the row stays for its history; oauth-service revokes, sync services stop on the event. */
    @WithTransaction
    public Uni<Void> delete(String userId, UUID id) {
        return integrations.findOwnedForUpdate(id, userId)
                .onItem().ifNull().failWith(() -> notFound(id))
                .flatMap(integration -> {
                    integration.active = false;
                    integration.status = IntegrationStatus.INACTIVE;
                    integration.nextSyncAt = null;
                    integration.updatedAt = Instant.now();
                    return activity.record(integration.id, "deleted", LogStatus.SUCCESS, "Integration deleted", Map.of())
                            .call(() -> publish(integration, IntegrationEventType.DELETED));
                });
    }

    /** When the next scheduled sync is due after {@code from}; null for manual integrations. */
    public static Instant nextSyncAfter(SyncFrequency frequency, Instant from) {
        return frequency.interval().map(from::plus).orElse(null);
    }

    private Uni<UUID> publish(Integration integration, IntegrationEventType type) {
        return outbox.add(new IntegrationEvent(integration.id, integration.userId, integration.provider,
                integration.type, type, mapper.valueToTree(integration.config), Instant.now()));
    }

    private void requireValidConfig(Provider provider, Map<String, Object> config) {
        List<Problem.FieldError> problems = catalogue.configProblems(provider, config);
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_ERROR,
                    "The config does not fit provider " + provider.id(), problems);
        }
    }

    private static Map<String, Object> orEmpty(Map<String, Object> map) {
        return map == null ? Map.of() : map;
    }

    static ProblemException notFound(UUID id) {
        return ProblemException.notFound("Integration", id);
    }

    private static ProblemException duplicateName(String name) {
        return ProblemException.conflict("You already have an integration named '" + name + "'");
    }
}
