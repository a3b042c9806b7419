package io.tributary.localstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** mock-oauth2-server as an OIDC provider for local tokens; any issuer path works, the stack uses {@code tributary}. */
final class OidcComponent implements StackComponent {

    static final String ISSUER = "tributary";

    /**
     * A token's {@code sub} is the client id (the server fills in {@code ${clientId}}); client
     * {@code operator} is also an admin, and {@code tributary-services} is the services' own client,
     * allowed oauth-service's internal credentials API.
     */
    private static final String TOKEN_CLAIMS = """
            {"tokenCallbacks": [{"issuerId": "tributary", "tokenExpiry": 3600, "requestMappings": [
              {"requestParam": "client_id", "match": "operator", "claims": {"sub": "operator", "groups": ["user", "admin"]}},
              {"requestParam": "client_id", "match": "tributary-services", "claims": {"sub": "tributary-services",
                "scope": "credentials:read credentials:write"}},
              {"requestParam": "client_id", "match": "*", "claims": {"sub": "${clientId}", "groups": ["user"]}}
            ]}]}""";

    private final StackSettings settings;
    private ChildProcess server;

    OidcComponent(StackSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "OIDC";
    }

    @Override
    public void start() throws Exception {
        var log = settings.logs().resolve("oidc.log");
        server = ChildProcess.startJava(List.of("-Xmx256m"), settings.runtimeClasspath("oidc"),
                "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt", List.of(),
                Map.of("SERVER_PORT", String.valueOf(settings.oidcPort()), "JSON_CONFIG", TOKEN_CLAIMS), log);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new IllegalStateException("The OIDC server exited; see " + log);
            }
            try {
                if (http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("The OIDC server did not answer within 60 s; see " + log);
    }

    String issuer() {
        return "http://localhost:" + settings.oidcPort() + "/" + ISSUER;
    }

    @Override
    public String endpoint() {
        return issuer() + "  (a user's token: curl -d grant_type=client_credentials -d client_id=<user> "
                + "-d client_secret=x " + issuer() + "/token; client_id=operator is an admin)";
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public Optional<Long> pid() {
        return server == null ? Optional.empty() : Optional.of(server.pid());
    }
}
