package io.tributary.webhook.benchmark;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Test-only: the raw HTTP ceiling of this service, measured beside the webhook intake. */
@Path("/benchmark/baseline")
public class BaselineResource {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String baseline() {
        return "ok";
    }
}
