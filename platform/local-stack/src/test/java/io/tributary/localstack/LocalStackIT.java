package io.tributary.localstack;

import io.tributary.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Runs ./local-stack's launcher as a user would, on free ports, and checks it leaves nothing behind. */
class LocalStackIT {

    private Path stackDir;
    private Map<String, String> environment;
    private Process launcher;

    @BeforeEach
    void choosePortsAndDirectory() throws IOException {
        stackDir = Files.createTempDirectory("tributary-stack-it-");
        environment = Map.ofEntries(
                Map.entry("TRIBUTARY_STACK_DIR", stackDir.toString()),
                Map.entry("TRIBUTARY_PG_PORT", String.valueOf(freePort())),
                Map.entry("TRIBUTARY_KAFKA_PORT", String.valueOf(freePort())),
                Map.entry("TRIBUTARY_KAFKA_CONTROLLER_PORT", String.valueOf(freePort())),
                Map.entry("TRIBUTARY_OIDC_PORT", String.valueOf(freePort())),
                Map.entry("TRIBUTARY_INTEGRATION_SERVICE_PORT", String.valueOf(freePort())),
                Map.entry("TRIBUTARY_OAUTH_SERVICE_PORT", String.valueOf(freePort())),
                Map.entry("TRIBUTARY_WEBHOOK_GATEWAY_PORT", String.valueOf(freePort())),
                Map.entry("TRIBUTARY_BANK_SYNC_SERVICE_PORT", String.valueOf(freePort())),
                Map.entry("TRIBUTARY_PROVIDER_SANDBOX_PORT", String.valueOf(freePort())),
                Map.entry("TRIBUTARY_API_GATEWAY_PORT", String.valueOf(freePort())));
    }

    @AfterEach
    void stopWhateverRuns() throws Exception {
        if (launcher != null && launcher.isAlive()) {
            run("down");
        }
    }

    @Test
    void shouldStartEveryComponentAndStopThemAllWithDown() throws Exception {
        launcher = start();
        List<Long> pids = recordedPids();
        assertThat(pids).hasSize(3 + ServiceComponent.SERVICES.size()); // PostgreSQL, Kafka, OIDC, the services

        assertPostgresAnswers();
        assertKafkaHasThePlatformTopics();
        String token = assertOidcIssuesTokens();
        assertIntegrationServiceServesTheCaller(token);
        assertOauthServiceIsReadyAndGuardsInternalCredentials(token);
        assertWebhookGatewayRefusesAnUnsignedDelivery();
        assertSandboxWebhooksAreVerifiedByTheGateway();
        assertDemoPasses();
        assertThat(run("status")).isZero();

        assertThat(run("down")).isZero();

        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertAllStopped(pids);
        assertThat(run("status")).isEqualTo(3);
    }

    @Test
    void shouldStopEverythingWhenTheLauncherIsInterrupted() throws Exception {
        launcher = start();
        List<Long> pids = recordedPids();

        launcher.toHandle().destroy(); // SIGTERM: the JVM stops the same way as on Ctrl-C

        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertAllStopped(pids);
        assertThat(stackDir.resolve("stack.properties")).doesNotExist();
    }

    private Process start() throws Exception {
        Process process = launcherProcess("up").redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> awaitReadyLine(process));
        assertThat(ready.get(180, TimeUnit.SECONDS)).as("the launcher printed that the stack is up").isTrue();
        return process;
    }

    private static boolean awaitReadyLine(Process process) {
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null) {
                System.out.println("[local-stack] " + line);
                if (line.startsWith(LocalStack.READY_LINE)) {
                    // keep draining so the launcher never blocks on a full pipe
                    Thread drain = new Thread(() -> output.lines().forEach(rest -> System.out.println("[local-stack] " + rest)));
                    drain.setDaemon(true);
                    drain.start();
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The demo scenario, end to end through the API gateway; its output is the failure message. */
    private void assertDemoPasses() throws Exception {
        Path output = stackDir.resolve("demo.txt");
        Process demo = launcherProcess("demo").redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(demo.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(output);
        System.out.println(printed);
        assertThat(demo.exitValue()).as(printed).isZero();
        assertThat(printed).contains("Demo passed");
    }

    private int run(String command) throws Exception {
        Process process = launcherProcess(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private ProcessBuilder launcherProcess(String command) throws IOException {
        Path module = Path.of(System.getProperty("tributary.root", "../..")).resolve("platform/local-stack");
        String classpath = module.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(module.resolve("target/classpath.txt")).trim();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtributary.root=" + System.getProperty("tributary.root", "../.."),
                "-cp", classpath, LocalStack.class.getName(), command);
        builder.environment().putAll(environment);
        return builder;
    }

    private List<Long> recordedPids() throws IOException {
        StackState state = StackState.read(stackDir.resolve("stack.properties")).orElseThrow();
        assertThat(state.childPids()).as("PostgreSQL's server is among the recorded processes")
                .contains(PostgresComponent.postmasterPid(state.postgresData()).orElseThrow());
        return state.childPids();
    }

    private void assertPostgresAnswers() throws Exception {
        String url = "jdbc:postgresql://localhost:" + environment.get("TRIBUTARY_PG_PORT") + "/tributary";
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
             ResultSet result = connection.createStatement().executeQuery("SHOW server_version_num")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isGreaterThanOrEqualTo(160000);
        }
    }

    private void assertKafkaHasThePlatformTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "localhost:" + environment.get("TRIBUTARY_KAFKA_PORT")))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).containsAll(Topics.allWithDeadLetterTopics());
        }
    }

    private void assertIntegrationServiceServesTheCaller(String token) throws Exception {
        String api = "http://localhost:" + environment.get("TRIBUTARY_INTEGRATION_SERVICE_PORT") + "/api/integrations";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(api))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Mint export\", \"provider\": \"mint\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(api))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"totalItems\":1").contains("Mint export");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(api)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    private void assertOauthServiceIsReadyAndGuardsInternalCredentials(String userToken) throws Exception {
        String base = "http://localhost:" + environment.get("TRIBUTARY_OAUTH_SERVICE_PORT");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        // a user's token has no credentials:read scope
        HttpResponse<String> internal = http.send(HttpRequest.newBuilder(
                        URI.create(base + "/internal/credentials/" + java.util.UUID.randomUUID()))
                .header("Authorization", "Bearer " + userToken).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(internal.statusCode()).isEqualTo(403);
        assertThat(stackDir.resolve("vault-keyset.json")).exists();
    }

    private void assertWebhookGatewayRefusesAnUnsignedDelivery() throws Exception {
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + environment.get("TRIBUTARY_WEBHOOK_GATEWAY_PORT") + "/api/integrations/webhooks/stripe"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"evt_forged\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
    }

    /** The wiring: the gateway holds the sandbox's Stripe secret and fetches Plaid's key from the sandbox. */
    private void assertSandboxWebhooksAreVerifiedByTheGateway() throws Exception {
        String sandbox = "http://localhost:" + environment.get("TRIBUTARY_PROVIDER_SANDBOX_PORT");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> stripe = http.send(HttpRequest.newBuilder(URI.create(sandbox + "/admin/webhooks/stripe"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"account\": \"acct_it\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stripe.statusCode()).as(stripe.body()).isEqualTo(200);
        assertThat(stripe.body()).as("the gateway's answer to the signed delivery").contains("\"status\":200");

        String plaidCredentials = "\"client_id\": \"sandbox-plaid-client\", \"secret\": \"sandbox-plaid-secret\"";
        String publicToken = field(http.send(HttpRequest.newBuilder(URI.create(sandbox + "/plaid/sandbox/public_token/create"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{" + plaidCredentials
                        + ", \"institution_id\": \"ins_109508\", \"initial_products\": [\"transactions\"]}")).build(),
                HttpResponse.BodyHandlers.ofString()).body(), "public_token");
        String accessToken = field(http.send(HttpRequest.newBuilder(URI.create(sandbox + "/plaid/item/public_token/exchange"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{" + plaidCredentials + ", \"public_token\": \""
                        + publicToken + "\"}")).build(), HttpResponse.BodyHandlers.ofString()).body(), "access_token");
        HttpResponse<String> fired = http.send(HttpRequest.newBuilder(URI.create(sandbox + "/plaid/sandbox/item/fire_webhook"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{" + plaidCredentials + ", \"access_token\": \""
                        + accessToken + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fired.body()).as("the gateway verified Plaid's JWT with the sandbox's key")
                .contains("\"webhook_fired\":true");
    }

    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(value.find()).as(json).isTrue();
        return value.group(1);
    }

    private String assertOidcIssuesTokens() throws Exception {
        String issuer = "http://localhost:" + environment.get("TRIBUTARY_OIDC_PORT") + "/" + OidcComponent.ISSUER;
        HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(issuer + "/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=it&client_secret=it"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(200);
        Matcher accessToken = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(token.body());
        assertThat(accessToken.find()).isTrue();
        return accessToken.group(1);
    }

    private void assertAllStopped(List<Long> pids) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (long pid : pids) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
            }
        });
        for (String port : List.of("TRIBUTARY_PG_PORT", "TRIBUTARY_KAFKA_PORT", "TRIBUTARY_OIDC_PORT",
                "TRIBUTARY_INTEGRATION_SERVICE_PORT", "TRIBUTARY_OAUTH_SERVICE_PORT", "TRIBUTARY_WEBHOOK_GATEWAY_PORT",
                "TRIBUTARY_PROVIDER_SANDBOX_PORT", "TRIBUTARY_API_GATEWAY_PORT")) {
            assertThat(isListening(Integer.parseInt(environment.get(port)))).as(port + " closed").isFalse();
        }
    }

    private static boolean isListening(int port) {
        try (Socket ignored = new Socket("localhost", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
