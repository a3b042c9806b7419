package io.tributary.webhook.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.WebhookReceived;
import io.tributary.kit.outbox.Outbox;
import io.tributary.kit.problem.ProblemException;
import io.tributary.webhook.repository.WebhookEventRepository;
import io.tributary.webhook.repository.WebhookEventRepository.Detail;
import io.tributary.webhook.repository.WebhookEventRepository.Filter;
import io.tributary.webhook.repository.WebhookEventRepository.Position;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/**
 * Publishes stored events again, so consumers can be re-driven after a fix. A replay is a new
 * publication (a new CloudEvents id, the same {@code eventId}): consumers that de-duplicate on
 * {@code ce_id} apply it again; those keyed on {@code eventId} can tell it is the same delivery.
 */
@ApplicationScoped
public class WebhookReplay {

    /** One request replays at most this many; a wider window is refused before anything is sent. */
    public static final int MAX_EVENTS = 10_000;
    private static final int PAGE = 100;

    private final WebhookEventRepository events;
    private final Outbox outbox;
    private final ObjectMapper mapper;

    public WebhookReplay(WebhookEventRepository events, Outbox outbox, ObjectMapper mapper) {
        this.events = events;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    public Uni<Integer> replayOne(UUID id) {
        return events.find(id).flatMap(found -> {
            if (found == null) {
                throw ProblemException.notFound("Webhook event", id);
            }
            return publish(List.of(found));
        });
    }

    /** Every event the filter matches, oldest first, a page per transaction. */
    public Uni<Integer> replayAll(Filter filter) {
        return events.count(filter).flatMap(count -> {
            if (count > MAX_EVENTS) {
                throw ProblemException.unprocessable(count + " events match; replay at most " + MAX_EVENTS
                        + " at a time (narrow the window)");
            }
            return replayFrom(filter, null, 0);
        }).invoke(total -> Log.infof("Replayed %d webhook events (provider %s, integration %s, %s to %s)", total,
                filter.provider(), filter.integrationId(), filter.from(), filter.to()));
    }

    private Uni<Integer> replayFrom(Filter filter, Position after, int sent) {
        return events.replayPage(filter, after, PAGE).flatMap(page -> {
            if (page.isEmpty()) {
                return Uni.createFrom().item(sent);
            }
            var last = page.get(page.size() - 1).summary();
            return publish(page).flatMap(published -> page.size() < PAGE
                    ? Uni.createFrom().item(sent + published)
                    : replayFrom(filter, new Position(last.receivedAt(), last.id()), sent + published));
        });
    }

    private Uni<Integer> publish(List<Detail> page) {
        return Panache.withTransaction(() -> Multi.createFrom().iterable(page)
                .onItem().transformToUniAndConcatenate(this::publishAgain)
                .collect().asList()
                .map(List::size));
    }

    private Uni<Integer> publishAgain(Detail event) {
        var summary = event.summary();
        UUID outboxId = UUID.randomUUID();
        WebhookReceived received = new WebhookReceived(summary.id(), summary.provider(), summary.providerEventId(),
                summary.providerAccount(), summary.eventType(), summary.integrationId(), summary.receivedAt(),
                payload(event));
        return outbox.add(received, outboxId)
                .chain(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(
                                "UPDATE {h-schema}webhook_events SET outbox_id = :outbox, replays = replays + 1, "
                                        + "integration_id = COALESCE(integration_id, CAST(:integration AS uuid)) "
                                        + "WHERE id = :id")
                        .setParameter("outbox", outboxId)
                        .setParameter("integration", summary.integrationId() == null ? null
                                : summary.integrationId().toString())
                        .setParameter("id", summary.id())
                        .executeUpdate()));
    }

    /** What was published the first time: the hint of an unsigned delivery, else the verified body. */
    private JsonNode payload(Detail event) {
        try {
            return event.hint() != null ? mapper.readTree(event.hint()) : mapper.readTree(event.body());
        } catch (Exception e) {
            // stored only after it parsed; unreadable now means the row was altered by hand
            throw new IllegalStateException("Stored webhook event " + event.summary().id() + " no longer parses");
        }
    }
}
