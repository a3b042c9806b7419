package io.tributary.localstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** One of Tributary's services, run from its built Quarkus application against the stack's infrastructure. */
final class ServiceComponent implements StackComponent {

    /** The services the stack runs, in start order; each is added here as it is built. */
    static final List<Definition> SERVICES = List.of(
            // first: the services are configured to use it as every provider
            new Definition("provider-sandbox", "TRIBUTARY_PROVIDER_SANDBOX_PORT", 8090),
            new Definition("integration-service", "TRIBUTARY_INTEGRATION_SERVICE_PORT", 8081),
            new Definition("oauth-service", "TRIBUTARY_OAUTH_SERVICE_PORT", 8082),
            new Definition("webhook-gateway", "TRIBUTARY_WEBHOOK_GATEWAY_PORT", 8083),
            new Definition("bank-sync-service", "TRIBUTARY_BANK_SYNC_SERVICE_PORT", 8084),
            // last: the one public entry, routing /api/** to the services above
            new Definition("api-gateway", "TRIBUTARY_API_GATEWAY_PORT", 8080));

    record Definition(String name, String portVariable, int defaultPort) {

        int port() {
            String value = System.getenv(portVariable);
            return value == null || value.isBlank() ? defaultPort : Integer.parseInt(value);
        }
    }

    static Definition byName(String name) {
        return SERVICES.stream().filter(service -> service.name().equals(name)).findFirst().orElseThrow();
    }

    private final Definition definition;
    private final StackSettings settings;
    private final String oidcIssuer;
    private ChildProcess process;

    ServiceComponent(Definition definition, StackSettings settings, String oidcIssuer) {
        this.definition = definition;
        this.settings = settings;
        this.oidcIssuer = oidcIssuer;
    }

    @Override
    public String name() {
        return definition.name();
    }

    int port() {
        return definition.port();
    }

    @Override
    public void start() throws Exception {
        Path app = settings.root().resolve(definition.name()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(app)) {
            throw new IllegalStateException("Missing " + app + ": build first with ./mvnw install -DskipTests");
        }
        Path log = settings.logs().resolve(definition.name() + ".log");
        String database = "localhost:" + settings.postgresPort() + "/" + PostgresComponent.DATABASE;
        Map<String, String> environment = new java.util.HashMap<>(ProviderWiring.environment(
                "http://localhost:" + SERVICES.get(0).port(), "http://localhost:" + byName("webhook-gateway").port()));
        environment.putAll(Map.of(
                "INTEGRATION_SERVICE_URL", "http://localhost:" + byName("integration-service").port(),
                "OAUTH_SERVICE_URL", "http://localhost:" + byName("oauth-service").port(),
                "WEBHOOK_GATEWAY_URL", "http://localhost:" + byName("webhook-gateway").port(),
                "BANK_SYNC_SERVICE_URL", "http://localhost:" + byName("bank-sync-service").port()));
        environment.putAll(Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(port()),
                "DB_JDBC_URL", "jdbc:postgresql://" + database,
                "DB_REACTIVE_URL", "postgresql://" + database,
                "DB_USER", "postgres",
                "DB_PASSWORD", "postgres",
                "KAFKA_BOOTSTRAP_SERVERS", "localhost:" + settings.kafkaPort(),
                "OIDC_AUTH_SERVER_URL", oidcIssuer,
                // each read by one service only; generated once per stack directory
                "VAULT_KEYSET", VaultKeyset.loadOrCreate(settings.stackDir(), "vault"),
                "WEBHOOK_KEYSET", VaultKeyset.loadOrCreate(settings.stackDir(), "webhook")));
        process = ChildProcess.startJavaJar(List.of("-Xmx384m"), app, environment, log);
        awaitReady(log);
    }

    private void awaitReady(Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + port() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(3)).build();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(definition.name() + " exited; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException(definition.name() + " was not ready within 90 s; see " + log);
    }

    @Override
    public String endpoint() {
        return "http://localhost:" + port() + "  (OpenAPI at /q/openapi, health at /q/health)";
    }

    @Override
    public void stop() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    @Override
    public Optional<Long> pid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }
}
