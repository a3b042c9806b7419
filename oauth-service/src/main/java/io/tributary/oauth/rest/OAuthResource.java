package io.tributary.oauth.rest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tributary.oauth.service.AuthorizationService;
import io.tributary.oauth.service.CredentialService;
import io.tributary.kit.security.CurrentUser;
import io.tributary.oauth.service.IntegrationOwnership;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** The user-facing side: connect with OAuth, enter an API key, refresh now. */
@Path("/api/integrations")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "SecurityScheme")
public class OAuthResource {

    private final AuthorizationService authorization;
    private final CredentialService credentials;
    private final IntegrationOwnership ownership;
    private final CurrentUser user;

    public OAuthResource(AuthorizationService authorization, CredentialService credentials,
            IntegrationOwnership ownership, CurrentUser user) {
        this.authorization = authorization;
        this.credentials = credentials;
        this.ownership = ownership;
        this.user = user;
    }

    public record AuthorizeRequest(@NotNull UUID integrationId, @NotBlank @Size(max = 500) String redirectUri) {
    }

    public record TokenRequest(@NotBlank @Size(max = 2000) String code, @NotBlank @Size(max = 200) String state,
            @Size(max = 10) Map<String, @Size(max = 200) String> parameters) {
    }

    public record Connected(UUID integrationId, String status) {
    }

    /** Only the field names the caller sent back: a secret is never echoed. */
    public record ApiKeyRequest(@Size(max = 500) String apiKey, @Size(max = 500) String apiSecret,
            @Size(max = 200) String login, @Size(max = 500) String password) {

        Map<String, String> present() {
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            if (apiKey != null && !apiKey.isBlank()) {
                fields.put("apiKey", apiKey);
            }
            if (apiSecret != null && !apiSecret.isBlank()) {
                fields.put("apiSecret", apiSecret);
            }
            if (login != null && !login.isBlank()) {
                fields.put("login", login);
            }
            if (password != null && !password.isBlank()) {
                fields.put("password", password);
            }
            return fields;
        }

        @Override
        public String toString() {
            return "ApiKeyRequest" + present().keySet();
        }
    }

    public record Refreshed(UUID integrationId, Instant expiresAt) {
    }

    @POST
    @Path("/oauth/authorize")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start connecting an integration: the provider's authorization URL, with state and PKCE")
    public Uni<AuthorizationService.AuthorizationStart> authorize(@Valid @NotNull AuthorizeRequest request) {
        return authorization.start(user.id(), request.integrationId(), request.redirectUri());
    }

    @POST
    @Path("/oauth/token")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Finish connecting: exchange the code the provider sent back (single-use state)")
    public Uni<Connected> token(@Valid @NotNull TokenRequest request) {
        return authorization.complete(user.id(), new AuthorizationService.Callback(request.code(), request.state(),
                        request.parameters()))
                .map(integrationId -> new Connected(integrationId, "connected"));
    }

    @PUT
    @Path("/{id}/credentials")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store the API key, secret or login of a key-based provider; nothing is echoed back")
    public Uni<RestResponse<Void>> apiKey(@PathParam("id") UUID id, @Valid @NotNull ApiKeyRequest request) {
        Map<String, String> fields = request.present();
        if (fields.isEmpty()) {
            throw io.tributary.kit.problem.ProblemException.invalid("apiKey",
                    "give at least one of apiKey, apiSecret, login, password");
        }
        return credentials.storeApiKey(user.id(), id, fields).map(ignored -> RestResponse.noContent());
    }

    @POST
    @Path("/{id}/oauth/refresh")
    @Operation(summary = "Refresh the integration's access now")
    public Uni<Refreshed> refresh(@PathParam("id") UUID id) {
        return ownership.requireOwned(user.id(), id)
                .chain(() -> credentials.refreshNow(id))
                .map(credential -> new Refreshed(id, credential.expiresAt));
    }
}
