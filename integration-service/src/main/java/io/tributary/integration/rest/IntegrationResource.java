package io.tributary.integration.rest;

import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.integration.IntegrationStatus;
import io.tributary.integration.mapping.IntegrationMapper;
import io.tributary.integration.repository.IntegrationRepository;
import io.tributary.integration.rest.IntegrationViews.CreateIntegrationRequest;
import io.tributary.integration.rest.IntegrationViews.IntegrationView;
import io.tributary.integration.rest.IntegrationViews.PageView;
import io.tributary.integration.rest.IntegrationViews.ProviderView;
import io.tributary.integration.rest.IntegrationViews.StatusView;
import io.tributary.integration.rest.IntegrationViews.UpdateIntegrationRequest;
import io.tributary.kit.security.CurrentUser;
import io.tributary.integration.service.IntegrationCommands;
import io.tributary.integration.service.IntegrationService;
import io.tributary.integration.service.IntegrationStatusService;
import io.tributary.integration.service.ProviderCatalogue;
import io.tributary.kit.problem.QueryParameters;
import io.quarkus.security.Authenticated;
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

import java.util.List;
import java.util.UUID;

@Path("/api/integrations")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "SecurityScheme")
public class IntegrationResource {

    private final IntegrationService integrations;
    private final IntegrationStatusService statuses;
    private final ProviderCatalogue catalogue;
    private final IntegrationMapper mapper;
    private final CurrentUser user;

    public IntegrationResource(IntegrationService integrations, IntegrationStatusService statuses,
            ProviderCatalogue catalogue, IntegrationMapper mapper, CurrentUser user) {
        this.integrations = integrations;
        this.statuses = statuses;
        this.catalogue = catalogue;
        this.mapper = mapper;
        this.user = user;
    }

    @GET
    @Operation(summary = "The caller's integrations, newest first")
    public Uni<PageView<IntegrationView>> list(@QueryParam("type") String type, @QueryParam("provider") String provider,
            @QueryParam("status") String status, @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        IntegrationRepository.Filter filter = new IntegrationRepository.Filter(user.id(),
                QueryParameters.parseEnum(IntegrationCategory.class, "type", type).orElse(null), provider,
                QueryParameters.parseEnum(IntegrationStatus.class, "status", status).orElse(null));
        return integrations.list(filter, page, size)
                .map(found -> PageView.of(found.items().stream().map(mapper::toView).toList(), page, size,
                        found.totalItems()));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an integration; it is disconnected until its credentials arrive")
    public Uni<RestResponse<IntegrationView>> create(@Valid @NotNull CreateIntegrationRequest request, UriInfo uri) {
        return integrations.create(user.id(), new IntegrationCommands.Create(request.name(), request.provider(),
                        request.config(), request.metadata(), request.syncFrequency()))
                .map(created -> RestResponse.ResponseBuilder.<IntegrationView>created(
                        uri.getAbsolutePathBuilder().path(created.id.toString()).build())
                        .entity(mapper.toView(created)).build());
    }

    @GET
    @Path("/providers")
    @Operation(summary = "The provider catalogue, with each provider's config schema")
    public List<ProviderView> providers() {
        return catalogue.all().stream().map(mapper::toView).toList();
    }

    @GET
    @Path("/{id}")
    public Uni<IntegrationView> get(@PathParam("id") UUID id) {
        return integrations.get(user.id(), id).map(mapper::toView);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace an integration's name, config, metadata and frequency")
    public Uni<IntegrationView> update(@PathParam("id") UUID id, @Valid @NotNull UpdateIntegrationRequest request) {
        return integrations.update(user.id(), id, new IntegrationCommands.Update(request.name(), request.config(),
                request.metadata(), request.syncFrequency())).map(mapper::toView);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete an integration: its credentials are revoked and its syncs stop")
    public Uni<RestResponse<Void>> delete(@PathParam("id") UUID id) {
        return integrations.delete(user.id(), id).map(ignored -> RestResponse.noContent());
    }

    @GET
    @Path("/{id}/status")
    @Operation(summary = "Status, schedule and health score")
    public Uni<StatusView> status(@PathParam("id") UUID id) {
        return statuses.status(user.id(), id);
    }
}
