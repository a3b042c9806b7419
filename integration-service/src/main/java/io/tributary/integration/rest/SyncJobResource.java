package io.tributary.integration.rest;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tributary.contracts.event.SyncType;
import io.tributary.integration.mapping.IntegrationMapper;
import io.tributary.integration.rest.IntegrationViews.PageView;
import io.tributary.integration.rest.IntegrationViews.SyncJobView;
import io.tributary.integration.rest.IntegrationViews.SyncRequest;
import io.tributary.kit.security.CurrentUser;
import io.tributary.integration.service.SyncJobProgress;
import io.tributary.integration.service.SyncJobService;
import io.tributary.kit.problem.ProblemException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

@Path("/api/integrations/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "SecurityScheme")
public class SyncJobResource {

    private final SyncJobService syncJobs;
    private final SyncJobProgress progress;
    private final IntegrationMapper mapper;
    private final CurrentUser user;

    public SyncJobResource(SyncJobService syncJobs, SyncJobProgress progress, IntegrationMapper mapper,
            CurrentUser user) {
        this.syncJobs = syncJobs;
        this.progress = progress;
        this.mapper = mapper;
        this.user = user;
    }

    @POST
    @Path("/sync")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a sync now: 202 with the job; 409 while one runs; 422 when not connected")
    public Uni<RestResponse<SyncJobView>> sync(@PathParam("id") UUID id, SyncRequest request) {
        SyncType syncType = request == null || request.syncType() == null ? SyncType.INCREMENTAL : request.syncType();
        if (syncType == SyncType.TEST) {
            throw ProblemException.invalid("syncType", "must be full or incremental; test the connection with POST /test");
        }
        return accepted(syncJobs.requestByUser(user.id(), id, syncType).map(mapper::toView));
    }

    @POST
    @Path("/test")
    @Operation(summary = "Test the connection: 202 with a test job")
    public Uni<RestResponse<SyncJobView>> test(@PathParam("id") UUID id) {
        return accepted(syncJobs.requestByUser(user.id(), id, SyncType.TEST).map(mapper::toView));
    }

    @GET
    @Path("/sync-jobs")
    @Operation(summary = "The integration's sync jobs, newest first")
    public Uni<PageView<SyncJobView>> jobs(@PathParam("id") UUID id,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return syncJobs.page(user.id(), id, page, size)
                .map(found -> PageView.of(found.items().stream().map(mapper::toView).toList(), page, size,
                        found.totalItems()));
    }

    @GET
    @Path("/sync-jobs/{jobId}")
    public Uni<SyncJobView> job(@PathParam("id") UUID id, @PathParam("jobId") UUID jobId) {
        return syncJobs.get(user.id(), id, jobId).map(mapper::toView);
    }

    /**
     * Blocking only for the ownership check, which must answer 404 before the stream starts; the
     * stream itself is non-blocking.
     */
    @GET
    @Path("/sync-jobs/{jobId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Server-Sent Events with the job's state and counts (event name = job status) until it ends")
    public Multi<OutboundSseEvent> events(@PathParam("id") UUID id, @PathParam("jobId") UUID jobId, Sse sse) {
        String userId = user.id();
        SyncJobView first = progress.current(userId, id, jobId).await().atMost(Duration.ofSeconds(10));
        return progress.follow(first, userId)
                .map(job -> sse.newEventBuilder()
                        .name(job.status().name().toLowerCase(Locale.ROOT))
                        .id(job.id() + ":" + job.recordsAdded() + ":" + job.recordsUpdated() + ":" + job.status())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(SyncJobView.class, job)
                        .build());
    }

    private static Uni<RestResponse<SyncJobView>> accepted(Uni<SyncJobView> job) {
        return job.map(view -> RestResponse.status(RestResponse.Status.ACCEPTED, view));
    }
}
