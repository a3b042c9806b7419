package io.tributary.integration.rest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tributary.integration.LogStatus;
import io.tributary.integration.mapping.IntegrationMapper;
import io.tributary.integration.repository.IntegrationLogRepository;
import io.tributary.integration.rest.IntegrationViews.LogView;
import io.tributary.integration.rest.IntegrationViews.PageView;
import io.tributary.kit.security.CurrentUser;
import io.tributary.integration.service.IntegrationLogService;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.QueryParameters;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

@Path("/api/integrations/{id}/logs")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "SecurityScheme")
public class IntegrationLogResource {

    private final IntegrationLogService logs;
    private final IntegrationMapper mapper;
    private final CurrentUser user;

    public IntegrationLogResource(IntegrationLogService logs, IntegrationMapper mapper, CurrentUser user) {
        this.logs = logs;
        this.mapper = mapper;
        this.user = user;
    }

    @GET
    @Operation(summary = "The integration's activity, newest first; filter by action, status and time (ISO-8601, from inclusive, to exclusive)")
    public Uni<PageView<LogView>> list(@PathParam("id") UUID id, @QueryParam("action") @Size(max = 64) String action,
            @QueryParam("status") String status, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(200) int size) {
        IntegrationLogRepository.Filter filter = new IntegrationLogRepository.Filter(id, action,
                QueryParameters.parseEnum(LogStatus.class, "status", status).orElse(null),
                instant("from", from), instant("to", to));
        return logs.page(user.id(), filter, page, size)
                .map(found -> PageView.of(found.items().stream().map(mapper::toView).toList(), page, size,
                        found.totalItems()));
    }

    private static Instant instant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(parameter, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }
}
