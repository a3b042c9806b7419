package io.tributary.bank.rest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.service.PlaidLinkService;
import io.tributary.kit.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.UUID;

/** Plaid Link for the caller's Plaid integration: a Link token, then the public token's exchange. */
@Path("/api/bank/plaid/link")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "SecurityScheme")
public class PlaidLinkResource {

    private final PlaidLinkService link;
    private final CurrentUser user;

    public PlaidLinkResource(PlaidLinkService link, CurrentUser user) {
        this.link = link;
        this.user = user;
    }

    public record LinkTokenRequest(@NotNull UUID integrationId) {
    }

    /** Link's public token: short-lived and single-use, yet never logged. */
    public record ExchangeRequest(@NotNull UUID integrationId,
            @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9_-]+", message = "is not a Plaid public token")
            String publicToken) {

        @Override
        public String toString() {
            return "ExchangeRequest[" + integrationId + "]";
        }
    }

    @POST
    @Path("/token")
    @Operation(summary = "A Plaid Link token for the caller's Plaid integration (update mode when its login needs repair)")
    public Uni<PlaidLinkService.LinkToken> token(@Valid @NotNull LinkTokenRequest request) {
        return link.linkToken(user.id(), request.integrationId());
    }

    @POST
    @Path("/exchange")
    @Operation(summary = "Exchange Link's public token: the Item is connected, its accounts listed, its first sync follows")
    public Uni<RestResponse<PlaidLinkService.LinkedItem>> exchange(@Valid @NotNull ExchangeRequest request) {
        return link.exchange(user.id(), request.integrationId(), request.publicToken())
                .map(linked -> RestResponse.status(RestResponse.Status.CREATED, linked));
    }
}
