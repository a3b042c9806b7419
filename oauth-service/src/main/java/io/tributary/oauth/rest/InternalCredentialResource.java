package io.tributary.oauth.rest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tributary.oauth.Credential;
import io.tributary.oauth.service.CredentialService;
import io.tributary.oauth.service.ServiceCaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Map;
import java.util.UUID;

/**
 * Usable credentials for the other services, never routed by the API gateway. Callers present a
 * client-credentials token with scope {@code credentials:read} (or {@code credentials:write} to store).
 */
@Path("/internal/credentials/{integrationId}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class InternalCredentialResource {

    private final CredentialService credentials;
    private final ServiceCaller caller;

    public InternalCredentialResource(CredentialService credentials, ServiceCaller caller) {
        this.credentials = credentials;
        this.caller = caller;
    }

    public record StoreRequest(@NotNull Credential.Kind kind, @Size(max = 4000) String accessToken,
            @Size(max = 10) Map<String, @Size(max = 4000) String> secrets,
            @Size(max = 20) Map<String, Object> account) {

        @Override
        public String toString() {
            return "StoreRequest[" + kind + "]";
        }
    }

    @GET
    @Operation(summary = "A usable credential, refreshed first when it is about to expire")
    public Uni<CredentialService.UsableCredential> get(@PathParam("integrationId") UUID integrationId) {
        caller.require(ServiceCaller.READ);
        return credentials.usable(integrationId);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store a credential a service obtained itself (e.g. a Plaid access token)")
    public Uni<RestResponse<Void>> put(@PathParam("integrationId") UUID integrationId,
            @Valid @NotNull StoreRequest request) {
        caller.require(ServiceCaller.WRITE);
        if (request.accessToken() == null && (request.secrets() == null || request.secrets().isEmpty())) {
            throw io.tributary.kit.problem.ProblemException.invalid("accessToken", "give an accessToken or secrets");
        }
        return credentials.storeExternal(integrationId, request.kind(), request.accessToken(), request.secrets(),
                request.account()).map(ignored -> RestResponse.noContent());
    }
}
