package io.tributary.sandbox.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.sandbox.service.OAuthError;
import io.tributary.sandbox.service.OAuthProfile;
import io.tributary.sandbox.service.OAuthServer;
import io.tributary.sandbox.service.OAuthServer.ClientCredentials;
import io.tributary.sandbox.service.OpenBankingConsents;
import io.tributary.sandbox.service.Tokens;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The providers' authorization and token endpoints at their real paths, under the provider's
 * prefix (shared/providers.md section 1). {@code ?auto=approve} (or {@code deny}) answers the
 * consent page at once, so scripts can run the whole flow.
 */
@Path("/")
public class OAuthResource {

    /** What PayPal grants an app's own token: transaction search, balances, disputes, webhook verification. */
    private static final String PAYPAL_APP_SCOPES = "https://uri.paypal.com/services/reporting/search/read "
            + "https://uri.paypal.com/services/reporting/balances/read "
            + "https://uri.paypal.com/services/disputes/read-seller "
            + "https://uri.paypal.com/services/applications/verify-webhook-signature";

    private final OAuthServer server;
    private final OpenBankingConsents consents;

    public OAuthResource(OAuthServer server, OpenBankingConsents consents) {
        this.server = server;
        this.consents = consents;
    }

    /**
     * An ASPSP's authorize page. The real flow names the consent in a signed request object
     * ({@code openbanking_intent_id}); the sandbox takes it as {@code consent_id}, and without one
     * authorises a new consent with every read permission.
     */
    @GET
    @Path("/{bank: hsbc|barclays|lloyds|santander}/authorize")
    @Produces(MediaType.TEXT_HTML)
    public Response bankAuthorize(@jakarta.ws.rs.PathParam("bank") String bank, @Context UriInfo uri) {
        return authorize(bank, uri);
    }

    /** An ASPSP's token endpoint: authorization code, refresh, and the TPP's client-credentials token. */
    @POST
    @Path("/{bank: hsbc|barclays|lloyds|santander}/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response bankToken(@jakarta.ws.rs.PathParam("bank") String bank,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, MultivaluedMap<String, String> form) {
        if ("client_credentials".equals(form.getFirst("grant_type"))) {
            return answer(() -> Response.ok(tokenBody(server.clientCredentials(bank, credentials(authorization, form),
                    form.getFirst("scope") == null ? "accounts" : form.getFirst("scope"))))
                    .header("Cache-Control", "no-store").build());
        }
        return token(bank, authorization, form);
    }

    @GET
    @Path("/xero/identity/connect/authorize")
    @Produces(MediaType.TEXT_HTML)
    public Response xeroAuthorize(@Context UriInfo uri) {
        return authorize("xero", uri);
    }

    @POST
    @Path("/xero/connect/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response xeroToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            MultivaluedMap<String, String> form) {
        return token("xero", authorization, form);
    }

    @POST
    @Path("/xero/connect/revocation")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response xeroRevoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            MultivaluedMap<String, String> form) {
        return answer(() -> {
            server.revoke("xero", credentials(authorization, form), form.getFirst("token"));
            return Response.ok().build();
        });
    }

    /** Xero's tenants of a grant: one organisation per connection in the sandbox. */
    @GET
    @Path("/xero/connections")
    @Produces(MediaType.APPLICATION_JSON)
    public Response xeroConnections(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return server.accessToken("xero", bearer(authorization))
                .filter(token -> !token.expired(server.now()))
                .map(token -> Response.ok(List.of(Map.of("id", token.account(), "tenantId", token.account(),
                        "authEventId", token.grantId().hashCode() + "", "tenantType", "ORGANISATION",
                        "tenantName", "Sandbox Organisation", "createdDateUtc", "2026-01-01T00:00:00.0000000",
                        "updatedDateUtc", "2026-01-01T00:00:00.0000000"))).build())
                .orElseGet(() -> Response.status(401).build());
    }

    @GET
    @Path("/quickbooks/connect/oauth2")
    @Produces(MediaType.TEXT_HTML)
    public Response quickbooksAuthorize(@Context UriInfo uri) {
        return authorize("quickbooks", uri);
    }

    @POST
    @Path("/quickbooks/oauth2/v1/tokens/bearer")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response quickbooksToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            MultivaluedMap<String, String> form) {
        return token("quickbooks", authorization, form);
    }

    /** Intuit revokes with a JSON body {@code {"token": …}}. */
    @POST
    @Path("/quickbooks/v2/oauth2/tokens/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response quickbooksRevoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, JsonNode body) {
        return answer(() -> {
            String token = body == null || !body.path("token").isTextual() ? null : body.path("token").asText();
            if (token == null) {
                throw OAuthError.invalidRequest("token is required");
            }
            server.revoke("quickbooks", credentials(authorization, null), token);
            return Response.ok().build();
        });
    }

    /** Log in with PayPal's consent page ({@code www.paypal.com/signin/authorize}). */
    @GET
    @Path("/paypal/signin/authorize")
    @Produces(MediaType.TEXT_HTML)
    public Response paypalAuthorize(@Context UriInfo uri) {
        return authorize("paypal", uri);
    }

    /**
     * PayPal's one token endpoint: the app's own {@code client_credentials} token (which acts for the
     * app's merchant account), and Log in with PayPal's code and refresh grants. Basic client auth.
     * Served by {@link PayPalOAuthResource}: its path lies under the PayPal API's own prefix.
     */
    Response paypalToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            MultivaluedMap<String, String> form) {
        if ("client_credentials".equals(form.getFirst("grant_type"))) {
            return answer(() -> Response.ok(tokenBody(server.clientCredentials("paypal",
                    credentials(authorization, form), PAYPAL_APP_SCOPES))).header("Cache-Control", "no-store").build());
        }
        return token("paypal", authorization, form);
    }

    /** amoCRM's consent page ({@code www.amocrm.ru/oauth}); the callback adds the account's domain as referer. */
    @GET
    @Path("/amocrm/oauth")
    @Produces(MediaType.TEXT_HTML)
    public Response amocrmAuthorize(@Context UriInfo uri) {
        return authorize("amocrm", uri);
    }

    /**
     * amoCRM's token endpoint on the account's own domain ({@code https://{referer}/oauth2/access_token}):
     * JSON as its docs show, or a form as OAuth libraries send; client credentials in the body. A code
     * or refresh token of another account's domain is {@code invalid_grant}.
     */
    @POST
    @Path("/amocrm/{referer}/oauth2/access_token")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED})
    @Produces(MediaType.APPLICATION_JSON)
    public Response amocrmToken(@jakarta.ws.rs.PathParam("referer") String referer,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        MultivaluedMap<String, String> form = new jakarta.ws.rs.core.MultivaluedHashMap<>();
        try {
            if (contentType != null && contentType.startsWith(MediaType.APPLICATION_JSON)) {
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).fields().forEachRemaining(field -> {
                    if (field.getValue().isValueNode()) {
                        form.add(field.getKey(), field.getValue().asText());
                    }
                });
            } else {
                for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                    int equals = pair.indexOf('=');
                    if (equals > 0) {
                        form.add(java.net.URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                                java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            return Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorBody("invalid_request", "The body is not JSON")).build();
        }
        String grant = "refresh_token".equals(form.getFirst("grant_type")) ? form.getFirst("refresh_token")
                : form.getFirst("code");
        if (server.grantAccount("amocrm", grant).filter(account -> !account.equals(referer)).isPresent()) {
            return Response.status(400).type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorBody("invalid_grant", "The grant belongs to another account's domain")).build();
        }
        Response answer = token("amocrm", null, form);
        return answer;
    }

    @GET
    @Path("/ynab/oauth/authorize")
    @Produces(MediaType.TEXT_HTML)
    public Response ynabAuthorize(@Context UriInfo uri) {
        return authorize("ynab", uri);
    }

    /** YNAB's client authenticates with {@code client_id}/{@code client_secret} in the form. */
    @POST
    @Path("/ynab/oauth/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response ynabToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            MultivaluedMap<String, String> form) {
        return token("ynab", authorization, form);
    }

    @GET
    @Path("/stripe/oauth/authorize")
    @Produces(MediaType.TEXT_HTML)
    public Response stripeAuthorize(@Context UriInfo uri) {
        return authorize("stripe", uri);
    }

    @POST
    @Path("/stripe/oauth/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response stripeToken(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            MultivaluedMap<String, String> form) {
        return token("stripe", authorization, form);
    }

    @POST
    @Path("/stripe/oauth/deauthorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response stripeDeauthorize(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            MultivaluedMap<String, String> form) {
        return answer(() -> {
            String account = form.getFirst("stripe_user_id");
            if (!server.deauthorize("stripe", stripeCredentials(authorization, form), account)) {
                throw new OAuthError(400, "invalid_client", "No such connected account: " + account);
            }
            return Response.ok(Map.of("stripe_user_id", account)).build();
        });
    }

    private Response authorize(String provider, UriInfo uri) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        String redirectUri = query.getFirst("redirect_uri");
        String clientId = query.getFirst("client_id");
        String challenge = query.getFirst("code_challenge");
        String method = challenge == null ? null : query.getFirst("code_challenge_method");
        try {
            server.checkAuthorization(provider, clientId, redirectUri, query.getFirst("response_type"),
                    challenge == null ? null : method == null ? "plain" : method);
        } catch (OAuthError error) {
            // an unknown client or redirect URI is shown, never redirected to
            return Response.status(error.status()).type(MediaType.TEXT_HTML)
                    .entity(page("Cannot authorize", error.error() + ": " + escape(error.getMessage()))).build();
        }
        String decision = query.getFirst("auto");
        if ("deny".equals(decision)) {
            UriBuilder back = UriBuilder.fromUri(redirectUri).queryParam("error", "access_denied");
            if (query.getFirst("state") != null) {
                back.queryParam("state", query.getFirst("state"));
            }
            return Response.seeOther(back.build()).build();
        }
        if (!"approve".equals(decision)) {
            String approve = uri.getRequestUriBuilder().replaceQueryParam("auto", "approve").build().toString();
            String deny = uri.getRequestUriBuilder().replaceQueryParam("auto", "deny").build().toString();
            return Response.ok(page("Connect to " + provider + " (sandbox)",
                    "<a id=\"approve\" href=\"" + escape(approve) + "\">Allow access</a> · <a id=\"deny\" href=\""
                            + escape(deny) + "\">Cancel</a>")).build();
        }
        OAuthServer.Approval approval;
        if (OAuthProfile.OPEN_BANKING.contains(provider)) {
            server.checkAuthorization(provider, clientId, redirectUri, "code", challenge == null ? null : method);
            String consent;
            try {
                consent = consents.authorise(provider, intent(provider, query)).consentId();
            } catch (OAuthError error) {
                return Response.status(error.status()).type(MediaType.TEXT_HTML)
                        .entity(page("Cannot authorize", error.error() + ": " + escape(error.getMessage()))).build();
            }
            approval = server.approve(provider, clientId, redirectUri, query.getFirst("scope"), query.getFirst("state"),
                    challenge, challenge == null ? null : method, consent);
        } else {
            approval = server.approve(provider, clientId, redirectUri, query.getFirst("scope"),
                    query.getFirst("state"), challenge, challenge == null ? null : method);
        }
        UriBuilder back = UriBuilder.fromUri(approval.redirectUri()).queryParam("code", approval.code());
        if (approval.state() != null) {
            back.queryParam("state", approval.state());
        }
        if (approval.accountParameter() != null) {
            back.queryParam(approval.accountParameter(), approval.account());
        }
        return Response.seeOther(back.build()).build();
    }

    /**
     * The consent the user is asked to authorise: the {@code openbanking_intent_id} claim of the
     * signed request object ({@code request}, HS256 with the client's secret, as OIDC allows for a
     * confidential client), or the sandbox's shortcut {@code consent_id}; none means a new consent.
     */
    private String intent(String bank, MultivaluedMap<String, String> query) {
        String request = query.getFirst("request");
        if (request == null) {
            return query.getFirst("consent_id");
        }
        try {
            org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
            jws.setAlgorithmConstraints(new org.jose4j.jwa.AlgorithmConstraints(
                    org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT,
                    org.jose4j.jws.AlgorithmIdentifiers.HMAC_SHA256));
            jws.setCompactSerialization(request);
            jws.setKey(new org.jose4j.keys.HmacKey(server.clientSecret(bank).getBytes(StandardCharsets.UTF_8)));
            // the key is the secret the bank issued, whatever its length
            jws.setDoKeyValidation(false);
            if (!jws.verifySignature()) {
                throw OAuthError.invalidRequest("The request object's signature does not verify");
            }
            org.jose4j.jwt.JwtClaims claims = org.jose4j.jwt.JwtClaims.parse(jws.getPayload());
            if (!server.clientId(bank).equals(claims.getClaimValueAsString("client_id"))) {
                throw OAuthError.invalidRequest("The request object names another client");
            }
            if (claims.getExpirationTime() == null || claims.getExpirationTime().isBefore(
                    org.jose4j.jwt.NumericDate.now())) {
                throw OAuthError.invalidRequest("The request object has expired");
            }
            Object intent = ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) claims.getClaimValue("claims"))
                    .get("id_token")).get("openbanking_intent_id")).get("value");
            if (!(intent instanceof String consent) || consent.isBlank()) {
                throw OAuthError.invalidRequest("The request object names no openbanking_intent_id");
            }
            return consent;
        } catch (org.jose4j.lang.JoseException | org.jose4j.jwt.MalformedClaimException
                | org.jose4j.jwt.consumer.InvalidJwtException | ClassCastException | NullPointerException e) {
            throw OAuthError.invalidRequest("The request object is not a signed JWT carrying claims.id_token."
                    + "openbanking_intent_id");
        }
    }

    private Response token(String provider, String authorization, MultivaluedMap<String, String> form) {
        return answer(() -> {
            ClientCredentials credentials = "stripe".equals(provider) ? stripeCredentials(authorization, form)
                    : credentials(authorization, form);
            String grantType = form.getFirst("grant_type");
            OAuthServer.Issued issued;
            if ("authorization_code".equals(grantType)) {
                issued = server.exchangeCode(provider, credentials, form.getFirst("code"), form.getFirst("redirect_uri"),
                        form.getFirst("code_verifier"));
            } else if ("refresh_token".equals(grantType)) {
                issued = server.refresh(provider, credentials, form.getFirst("refresh_token"));
            } else {
                throw new OAuthError(400, "unsupported_grant_type", "grant_type must be authorization_code or "
                        + "refresh_token");
            }
            return Response.ok(tokenBody(issued)).header("Cache-Control", "no-store").build();
        });
    }

    /** The token response in each provider's own field names. */
    private static Map<String, Object> tokenBody(OAuthServer.Issued issued) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.accessToken());
        if (issued.refreshToken() != null) {
            body.put("refresh_token", issued.refreshToken());
        }
        switch (issued.profile().provider()) {
            case "stripe" -> {
                body.put("token_type", "bearer");
                body.put("scope", issued.scope() == null ? "read_only" : issued.scope());
                body.put("livemode", false);
                body.put("stripe_user_id", issued.account());
                body.put("stripe_publishable_key", "pk_test_" + issued.account().substring(5));
            }
            case "paypal" -> {
                body.put("scope", issued.scope() == null ? "openid" : issued.scope());
                body.put("token_type", "Bearer");
                body.put("app_id", "APP-80W284485P519543T");
                body.put("expires_in", issued.expiresIn());
                body.put("nonce", java.time.Instant.now().toString() + Tokens.hex(16));
            }
            case "amocrm" -> {
                body.put("token_type", "Bearer");
                body.put("expires_in", issued.expiresIn());
                body.put("server_time", java.time.Instant.now().getEpochSecond());
            }
            case "quickbooks" -> {
                body.put("token_type", "bearer");
                body.put("expires_in", issued.expiresIn());
                body.put("x_refresh_token_expires_in", issued.profile().refreshLifetime().toSeconds());
            }
            default -> {
                body.put("token_type", "Bearer");
                body.put("expires_in", issued.expiresIn());
                body.put("scope", issued.scope());
            }
        }
        return body;
    }

    private static Response answer(java.util.function.Supplier<Response> action) {
        try {
            return action.get();
        } catch (OAuthError error) {
            Response.ResponseBuilder response = Response.status(error.status()).type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorBody(error.error(), error.getMessage()));
            if (error.status() == 401) {
                response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"sandbox\"");
            }
            return response.build();
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ErrorBody(String error, String error_description) {
    }

    /** Basic auth, or {@code client_id}/{@code client_secret} in the form (RFC 6749 §2.3.1). */
    private static ClientCredentials credentials(String authorization, MultivaluedMap<String, String> form) {
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return new ClientCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
                }
            } catch (IllegalArgumentException malformed) {
                return null;
            }
            return null;
        }
        return form == null ? null : new ClientCredentials(form.getFirst("client_id"), form.getFirst("client_secret"));
    }

    /** Stripe authenticates with the platform's secret key: as {@code client_secret} or as the bearer/basic key. */
    private ClientCredentials stripeCredentials(String authorization, MultivaluedMap<String, String> form) {
        String clientId = form.getFirst("client_id");
        if (form.getFirst("client_secret") != null) {
            return new ClientCredentials(clientId == null ? stripeClientId() : clientId, form.getFirst("client_secret"));
        }
        String key = bearer(authorization);
        if (key == null) {
            ClientCredentials basic = credentials(authorization, null);
            key = basic == null ? null : basic.clientId();
        }
        return new ClientCredentials(clientId == null ? stripeClientId() : clientId, key);
    }

    private String stripeClientId() {
        return server.clientId("stripe");
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
    }

    private static String page(String title, String body) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head><body>"
                + "<h1>" + escape(title) + "</h1><p>" + body + "</p></body></html>";
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
