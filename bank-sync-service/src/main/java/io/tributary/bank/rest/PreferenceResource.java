package io.tributary.bank.rest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.repository.PreferenceRepository;
import io.tributary.bank.service.AccountService;
import io.tributary.kit.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** The caller's default banking preferences; an account's own override them (see the accounts API). */
@Path("/api/bank/preferences")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "SecurityScheme")
public class PreferenceResource {

    private final AccountService accounts;
    private final CurrentUser user;

    public PreferenceResource(AccountService accounts, CurrentUser user) {
        this.accounts = accounts;
        this.user = user;
    }

    @GET
    @Operation(summary = "The caller's default preferences (the defaults until they choose)")
    public Uni<PreferenceRepository.Preferences> get() {
        return accounts.preferences(user.id(), null);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the caller's default preferences")
    public Uni<PreferenceRepository.Preferences> put(@Valid @NotNull PreferencesRequest request) {
        return accounts.savePreferences(user.id(), null, request.toPreferences());
    }
}
