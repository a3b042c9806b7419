package io.tributary.integration.rest;

import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.IntegrationCategory;
import io.tributary.integration.IntegrationStatus;
import io.tributary.integration.mapping.IntegrationMapper;
import io.tributary.integration.repository.IntegrationRepository;
import io.tributary.integration.rest.IntegrationViews.IntegrationView;
import io.tributary.integration.rest.IntegrationViews.PageView;
import io.tributary.integration.rest.IntegrationViews.SyncAllView;
import io.tributary.integration.service.IntegrationService;
import io.tributary.integration.service.SyncScheduler;
import io.tributary.kit.problem.QueryParameters;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** Operator endpoints: across users, role {@code admin} only. */
@Path("/api/integrations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "SecurityScheme")
public class AdminResource {

    private final IntegrationService integrations;
    private final SyncScheduler scheduler;
    private final IntegrationMapper mapper;

    public AdminResource(IntegrationService integrations, SyncScheduler scheduler, IntegrationMapper mapper) {
        this.integrations = integrations;
        this.scheduler = scheduler;
        this.mapper = mapper;
    }

    @POST
    @Path("/sync-all")
    @Operation(summary = "Start a sync of every integration that is due now")
    public Uni<SyncAllView> syncAll() {
        return scheduler.scheduleAllDue().map(SyncAllView::new);
    }

    @GET
    @Path("/admin/integrations")
    @Operation(summary = "Every user's integrations; filter by user, type, provider and status")
    public Uni<PageView<IntegrationView>> all(@QueryParam("userId") String userId, @QueryParam("type") String type,
            @QueryParam("provider") String provider, @QueryParam("status") String status,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(200) int size) {
        IntegrationRepository.Filter filter = new IntegrationRepository.Filter(userId,
                QueryParameters.parseEnum(IntegrationCategory.class, "type", type).orElse(null), provider,
                QueryParameters.parseEnum(IntegrationStatus.class, "status", status).orElse(null));
        return integrations.list(filter, page, size)
                .map(found -> PageView.of(found.items().stream().map(mapper::toView).toList(), page, size,
                        found.totalItems()));
    }
}
