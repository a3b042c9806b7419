package io.tributary.sandbox.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/**
 * PayPal's token endpoint, {@code /v1/oauth2/token}: a class of its own because its path lies inside
 * {@code /paypal/v1}, where {@link PayPalResource} answers, and the longer prefix must win.
 */
@Path("/paypal/v1/oauth2")
public class PayPalOAuthResource {

    private final OAuthResource oauth;

    public PayPalOAuthResource(OAuthResource oauth) {
        this.oauth = oauth;
    }

    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            MultivaluedMap<String, String> form) {
        return oauth.paypalToken(authorization, form);
    }
}
