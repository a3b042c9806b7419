package io.tributary.webhook.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.QueryParameters;
import io.tributary.webhook.mapping.WebhookAdminMapper;
import io.tributary.webhook.repository.WebhookEventRepository;
import io.tributary.webhook.repository.WebhookEventRepository.Filter;
import io.tributary.webhook.repository.WebhookEventRepository.Position;
import io.tributary.webhook.rest.WebhookAdminViews.EndpointView;
import io.tributary.webhook.rest.WebhookAdminViews.EventDetailView;
import io.tributary.webhook.rest.WebhookAdminViews.EventPageView;
import io.tributary.webhook.rest.WebhookAdminViews.ListView;
import io.tributary.webhook.rest.WebhookAdminViews.NewEndpointRequest;
import io.tributary.webhook.rest.WebhookAdminViews.ReplayRequest;
import io.tributary.webhook.rest.WebhookAdminViews.ReplayedView;
import io.tributary.webhook.rest.WebhookAdminViews.SecretsRequest;
import io.tributary.webhook.service.WebhookEndpoints;
import io.tributary.webhook.service.WebhookReplay;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.RestResponse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Operators: per-connection endpoints, and the stored events (search, inspect, replay). Role {@code admin}. */
@Path("/api/integrations/admin/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "SecurityScheme")
public class WebhookAdminResource {

    private static final Set<String> VERIFICATIONS = Set.of("signature", "url_secret");

    private final WebhookEndpoints endpoints;
    private final WebhookEventRepository events;
    private final WebhookReplay replay;
    private final WebhookAdminMapper mapper;
    private final ObjectMapper json;

    public WebhookAdminResource(WebhookEndpoints endpoints, WebhookEventRepository events, WebhookReplay replay,
            WebhookAdminMapper mapper, ObjectMapper json) {
        this.endpoints = endpoints;
        this.events = events;
        this.replay = replay;
        this.mapper = mapper;
        this.json = json;
    }

    @POST
    @Path("/endpoints")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a per-connection endpoint; its URL (with its secret token) is shown only now")
    public Uni<RestResponse<EndpointView>> createEndpoint(@Valid @NotNull NewEndpointRequest request, UriInfo uri) {
        return endpoints.register(new WebhookEndpoints.Registration(request.provider(), request.integrationId(),
                        request.providerAccount(), request.secrets(), request.eventTypes(), request.allowedSources()))
                .map(created -> RestResponse.ResponseBuilder.<EndpointView>created(
                                uri.getAbsolutePathBuilder().path(created.endpoint().id().toString()).build())
                        .entity(mapper.toView(created.endpoint(), endpoints.secretCount(created.endpoint()),
                                "/api/integrations/webhooks/" + created.endpoint().provider() + "/" + created.token()))
                        .build());
    }

    @GET
    @Path("/endpoints")
    @Operation(summary = "Endpoints, newest first; filter by provider and integration")
    public Uni<ListView<EndpointView>> endpoints(@QueryParam("provider") String provider,
            @QueryParam("integrationId") String integrationId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return endpoints.list(text("provider", provider), QueryParameters.parseUuid("integrationId", integrationId).orElse(null), limit)
                .map(found -> new ListView<>(found.stream()
                        .map(endpoint -> mapper.toView(endpoint, endpoints.secretCount(endpoint), null)).toList()));
    }

    @GET
    @Path("/endpoints/{id}")
    public Uni<EndpointView> endpoint(@PathParam("id") UUID id) {
        return endpoints.get(id).map(endpoint -> mapper.toView(endpoint, endpoints.secretCount(endpoint), null));
    }

    @PUT
    @Path("/endpoints/{id}/secrets")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the signing secrets: the new and the old during a rotation, then the new alone")
    public Uni<EndpointView> replaceSecrets(@PathParam("id") UUID id, @Valid @NotNull SecretsRequest request) {
        return endpoints.replaceSecrets(id, request.secrets())
                .map(endpoint -> mapper.toView(endpoint, endpoints.secretCount(endpoint), null));
    }

    @DELETE
    @Path("/endpoints/{id}")
    @Operation(summary = "Deactivate an endpoint: its URL takes no more deliveries; its events stay")
    public Uni<EndpointView> deactivate(@PathParam("id") UUID id) {
        return endpoints.deactivate(id).map(endpoint -> mapper.toView(endpoint, endpoints.secretCount(endpoint), null));
    }

    @GET
    @Path("/events")
    @Operation(summary = "Stored events, newest first; filter by provider, integration, type, verification and time")
    public Uni<EventPageView> events(@QueryParam("provider") String provider,
            @QueryParam("integrationId") String integrationId, @QueryParam("type") String type,
            @QueryParam("verification") String verification, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        if (verification != null && !verification.isBlank() && !VERIFICATIONS.contains(verification)) {
            throw ProblemException.invalid("verification", "must be one of [signature, url_secret]");
        }
        Filter filter = new Filter(text("provider", provider),
                QueryParameters.parseUuid("integrationId", integrationId).orElse(null), text("type", type),
                blankToNull(verification), QueryParameters.parseInstant("from", from).orElse(null),
                QueryParameters.parseInstant("to", to).orElse(null));
        return events.search(filter, position(after), limit).map(page -> {
            var last = page.size() == limit ? page.get(page.size() - 1) : null;
            return new EventPageView(page.stream().map(mapper::toView).toList(),
                    last == null ? null : cursor(new Position(last.receivedAt(), last.id())));
        });
    }

    @GET
    @Path("/events/{id}")
    @Operation(summary = "One event with its stored headers and body")
    public Uni<EventDetailView> event(@PathParam("id") UUID id) {
        return events.find(id).map(found -> {
            if (found == null) {
                throw ProblemException.notFound("Webhook event", id);
            }
            JsonNode payload = readJson(found.body());
            return new EventDetailView(mapper.toView(found.summary()), found.headers(), payload,
                    payload == null ? new String(found.body(), StandardCharsets.UTF_8) : null,
                    found.hint() == null ? null : readJson(found.hint().getBytes(StandardCharsets.UTF_8)));
        });
    }

    @POST
    @Path("/events/{id}/replay")
    @Operation(summary = "Publish one event again on webhook-received")
    public Uni<ReplayedView> replayOne(@PathParam("id") UUID id) {
        return replay.replayOne(id).map(ReplayedView::new);
    }

    @POST
    @Path("/events/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish again every event of a provider and/or integration received in [from, to)")
    public Uni<ReplayedView> replayWindow(@Valid @NotNull ReplayRequest request) {
        if (request.provider() == null && request.integrationId() == null) {
            throw ProblemException.invalid("provider", "name a provider, an integration or both");
        }
        if (!request.from().isBefore(request.to())) {
            throw ProblemException.invalid("to", "must be after from");
        }
        return replay.replayAll(new Filter(request.provider(), request.integrationId(), request.eventType(), null,
                request.from(), request.to())).map(ReplayedView::new);
    }

    private JsonNode readJson(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String cursor(Position position) {
        String raw = position.receivedAt() + "|" + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static Position position(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            return new Position(Instant.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw ProblemException.invalid("after", "is not a cursor this API gave out");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A text filter; one PostgreSQL cannot compare (NUL, over-long) is a 400, not a 500. */
    private static String text(String parameter, String value) {
        if (value != null && (value.indexOf('\u0000') >= 0 || value.length() > 255)) {
            throw ProblemException.invalid(parameter, "must be at most 255 characters, without NUL");
        }
        return blankToNull(value);
    }
}
