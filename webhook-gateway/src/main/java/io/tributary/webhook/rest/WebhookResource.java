package io.tributary.webhook.rest;

import io.smallrye.mutiny.Uni;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.ProblemType;
import io.tributary.webhook.service.WebhookIntake;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where providers deliver webhooks. Public: the signature, not a token, proves the sender. */
@Path("/api/integrations/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    private final WebhookIntake intake;

    public WebhookResource(WebhookIntake intake) {
        this.intake = intake;
    }

    public record Received(String status) {
    }

    @POST
    @Path("/{provider}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A provider's webhook delivery; 200 once stored (also for a replay), 401 when unsigned")
    public Uni<Received> receive(@PathParam("provider") String provider, byte[] body, HttpHeaders headers) {
        return take(provider, null, body, headers);
    }

    @POST
    @Path("/{provider}/{endpointId}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A delivery to a per-connection endpoint")
    public Uni<Received> receiveAtEndpoint(@PathParam("provider") String provider,
            @PathParam("endpointId") String endpointId, byte[] body, HttpHeaders headers) {
        return take(provider, endpointId, body, headers);
    }

    private Uni<Received> take(String provider, String endpointId, byte[] body, HttpHeaders headers) {
        MediaType type = headers.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Webhooks are accepted as application/json");
        }
        Map<String, String> all = new LinkedHashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> all.put(name, String.join(",", values)));
        return intake.receive(new WebhookIntake.Delivery(provider, endpointId, headers::getHeaderString, all,
                        body == null ? new byte[0] : body))
                .map(outcome -> new Received(outcome.name().toLowerCase()));
    }
}
