package io.tributary.sandbox.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.sandbox.service.PlaidError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A body that is not JSON is answered in the shape of the provider it was sent to. */
public class UnreadableBodyMapper {

    /** The JSON reader wraps what Jackson could not parse. */
    @ServerExceptionMapper
    public Response unreadableBody(jakarta.ws.rs.WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            return unreadable(unreadable, uri);
        }
        return e.getResponse();
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException unreadable, UriInfo uri) {
        if (uri.getPath().startsWith("/plaid/")) {
            PlaidError error = new PlaidError(400, "INVALID_REQUEST", "INVALID_BODY", "body could not be parsed as JSON",
                    null);
            return Response.status(400).type(MediaType.APPLICATION_JSON).entity(PlaidResource.error(error)).build();
        }
        return Response.status(400).type("application/problem+json").entity(java.util.Map.of("type", "about:blank",
                "title", "Bad request", "status", 400, "detail", "The body is not valid JSON")).build();
    }
}
