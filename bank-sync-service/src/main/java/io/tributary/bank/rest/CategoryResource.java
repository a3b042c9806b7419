package io.tributary.bank.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.tributary.bank.repository.CategoryRepository;
import io.tributary.bank.service.CategoryService;
import io.tributary.kit.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Categories: the system's (read-only) and the caller's own. */
@Path("/api/bank/categories")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "SecurityScheme")
public class CategoryResource {

    private final CategoryService categories;
    private final CurrentUser user;

    public CategoryResource(CategoryService categories, CurrentUser user) {
        this.categories = categories;
        this.user = user;
    }

    public enum Kind {
        @JsonProperty("income") INCOME,
        @JsonProperty("expense") EXPENSE,
        @JsonProperty("transfer") TRANSFER
    }

    public record CategoryRequest(@NotBlank @Size(max = 80) String name, @NotNull Kind kind, UUID parentId,
            @Pattern(regexp = "#[0-9A-Fa-f]{6}", message = "must be a colour such as #1565C0") String color,
            @Size(max = 40) String icon) {

        CategoryRepository.Fields fields() {
            return new CategoryRepository.Fields(name.trim(), kind.name().toLowerCase(Locale.ROOT), parentId, color,
                    icon);
        }
    }

    @GET
    @Operation(summary = "The system's categories and the caller's own")
    public Uni<List<CategoryRepository.Category>> list() {
        return categories.list(user.id());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a category of the caller's, optionally under a parent")
    public Uni<RestResponse<CategoryRepository.Category>> create(@Valid @NotNull CategoryRequest request) {
        return categories.create(user.id(), request.fields())
                .map(created -> RestResponse.status(RestResponse.Status.CREATED, created));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace one of the caller's categories")
    public Uni<CategoryRepository.Category> update(@PathParam("id") UUID id, @Valid @NotNull CategoryRequest request) {
        return categories.update(user.id(), id, request.fields());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete one of the caller's categories; its transactions become uncategorised")
    public Uni<RestResponse<Void>> delete(@PathParam("id") UUID id) {
        return categories.delete(user.id(), id).map(ignored -> RestResponse.noContent());
    }
}
