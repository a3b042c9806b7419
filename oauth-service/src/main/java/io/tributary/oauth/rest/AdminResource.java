package io.tributary.oauth.rest;

import io.smallrye.mutiny.Uni;
import io.tributary.oauth.service.RefreshScheduler;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** Operator endpoints, role {@code admin} only. */
@Path("/api/integrations")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "SecurityScheme")
public class AdminResource {

    private final RefreshScheduler refresh;

    public AdminResource(RefreshScheduler refresh) {
        this.refresh = refresh;
    }

    @POST
    @Path("/refresh-expired-tokens")
    @Operation(summary = "Refresh now every token that expires within the refresh window")
    public Uni<RefreshScheduler.RefreshRound> refreshExpiredTokens() {
        return refresh.refreshExpiring();
    }
}
