package io.tributary.bank.rest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.repository.AccountRepository;
import io.tributary.bank.repository.PreferenceRepository;
import io.tributary.bank.service.AccountService;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.QueryParameters;
import io.tributary.kit.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The caller's bank accounts, their balance history and their display and alert preferences. */
@Path("/api/bank/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "SecurityScheme")
public class AccountResource {

    private static final Set<String> BALANCE_TYPES = Set.of("current", "available", "pending", "overdraft",
            "credit_limit", "payment_due", "last_payment");

    private final AccountService accounts;
    private final CurrentUser user;

    public AccountResource(AccountService accounts, CurrentUser user) {
        this.accounts = accounts;
        this.user = user;
    }

    @GET
    @Operation(summary = "The caller's accounts on live connections, with balances and display preferences")
    public Uni<List<AccountRepository.Account>> list() {
        return accounts.list(user.id());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One of the caller's accounts")
    public Uni<AccountRepository.Account> get(@PathParam("id") UUID id) {
        return accounts.get(user.id(), id);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove an account from every list (its connection keeps syncing the others)")
    public Uni<RestResponse<Void>> delete(@PathParam("id") UUID id) {
        return accounts.delete(user.id(), id).map(ignored -> RestResponse.noContent());
    }

    @GET
    @Path("/{id}/balances")
    @Operation(summary = "Balance history, newest first, in [from, to) (RFC 3339), of one type or all")
    public Uni<List<AccountRepository.Balance>> balances(@PathParam("id") UUID id, @QueryParam("type") String type,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        if (type != null && !BALANCE_TYPES.contains(type)) {
            throw ProblemException.invalid("type", "must be one of " + BALANCE_TYPES.stream().sorted().toList());
        }
        return accounts.balances(user.id(), id, type, QueryParameters.parseInstant("from", from).orElse(null),
                QueryParameters.parseInstant("to", to).orElse(null), limit);
    }

    @GET
    @Path("/{id}/preferences")
    @Operation(summary = "The account's own preferences (alias, colour, icon, hidden, alert thresholds)")
    public Uni<PreferenceRepository.Preferences> preferences(@PathParam("id") UUID id) {
        return accounts.preferences(user.id(), id);
    }

    @PUT
    @Path("/{id}/preferences")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the account's own preferences")
    public Uni<PreferenceRepository.Preferences> savePreferences(@PathParam("id") UUID id,
            @Valid @NotNull PreferencesRequest request) {
        return accounts.savePreferences(user.id(), id, request.toPreferences());
    }
}
