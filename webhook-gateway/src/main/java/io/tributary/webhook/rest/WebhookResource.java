package io.tributary.webhook.rest;

import io.smallrye.mutiny.Uni;
import io.tributary.webhook.service.WebhookIntake;
import io.tributary.webhook.verification.SignedRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where providers deliver webhooks. Public: the signature (or the endpoint's secret URL), not a token, proves the sender. */
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
    public Uni<RestResponse<Received>> receive(@PathParam("provider") String provider, byte[] body,
            HttpHeaders headers, UriInfo uri, @Context HttpServerRequest request) {
        return take(provider, null, body, headers, uri, request);
    }

    @POST
    @Path("/{provider}/{endpointId}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A delivery to a per-connection endpoint, whose secrets and allow-list apply")
    public Uni<RestResponse<Received>> receiveAtEndpoint(@PathParam("provider") String provider,
            @PathParam("endpointId") String endpointId, byte[] body, HttpHeaders headers, UriInfo uri,
            @Context HttpServerRequest request) {
        return take(provider, endpointId, body, headers, uri, request);
    }

    private Uni<RestResponse<Received>> take(String provider, String endpointToken, byte[] body, HttpHeaders headers,
            UriInfo uri, HttpServerRequest request) {
        Map<String, String> all = new LinkedHashMap<>();
        headers.getRequestHeaders().forEach((name, values) -> all.put(name, String.join(",", values)));
        SignedRequest signed = new SignedRequest(headers::getHeaderString, "POST", uri.getRequestUri().toString(),
                body == null ? new byte[0] : body);
        String source = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        boolean emptyAnswer = intake.answersWithoutBody(provider);
        return intake.receive(new WebhookIntake.Delivery(provider, endpointToken, headers.getMediaType(), source, signed,
                        all))
                // Xero wants 200 with no body; the others get a word on what happened
                .map(outcome -> emptyAnswer ? RestResponse.<Received>ok()
                        : RestResponse.ok(new Received(outcome.name().toLowerCase())));
    }
}
