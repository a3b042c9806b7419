package io.tributary.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The demo scenario against a running local stack, through the API gateway as a frontend would
 * call it: a user's token, an integration, the OAuth flow against the provider sandbox, a sync
 * request; a Plaid bank linked, synced by bank-sync-service and told of new transactions by a
 * signed webhook; a signed Xero webhook verified and stored; the status with its health score. Each step says
 * what it did; the first that fails ends the demo with exit code 1, so it doubles as an
 * end-to-end test.
 */
final class Demo {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT_URI = "http://localhost:3000/oauth/callback";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gateway;
    private final String sandbox;
    private final String oidc;
    private int step;

    Demo(StackSettings settings) {
        this.gateway = "http://localhost:" + ServiceComponent.byName("api-gateway").port();
        this.sandbox = "http://localhost:" + ServiceComponent.byName("provider-sandbox").port();
        this.oidc = "http://localhost:" + settings.oidcPort() + "/" + OidcComponent.ISSUER;
    }

    int run() {
        Instant begin = Instant.now();
        System.out.println("Tributary demo, through the API gateway at " + gateway);
        try {
            String user = "demo-" + UUID.randomUUID().toString().substring(0, 8);
            String token = step("Get a token for user " + user, () -> token(user));
            String admin = step("Get a token for the operator (role admin)", () -> token("operator"));
            JsonNode integration = step("Create a Xero integration", () -> expect(201, send("POST",
                    "/api/integrations", token, Map.of("name", "Demo books", "provider", "xero"))));
            String id = integration.path("id").asText();
            System.out.println("     integration " + id + ", status " + integration.path("status").asText());

            JsonNode start = step("Start OAuth (oauth-service learns the integration over Kafka)",
                    () -> retry(Duration.ofSeconds(30), () -> expect(200, send("POST", "/api/integrations/oauth/authorize",
                            token, Map.of("integrationId", id, "redirectUri", REDIRECT_URI)))));
            String authorizationUrl = start.path("authorizationUrl").asText();
            Map<String, String> callback = step("Approve at the sandbox's Xero consent page", () -> approve(authorizationUrl));
            JsonNode connected = step("Exchange the code (PKCE) and store the tokens encrypted", () -> expect(200,
                    send("POST", "/api/integrations/oauth/token", token, Map.of("code", callback.get("code"),
                            "state", callback.get("state")))));
            System.out.println("     " + connected.path("status").asText());
            step("Refresh the access token now (Xero rotates the refresh token)", () -> expect(200,
                    send("POST", "/api/integrations/" + id + "/oauth/refresh", token, Map.of())));

            JsonNode job = step("See the first sync requested (integration-service hears credential-events)",
                    () -> retry(Duration.ofSeconds(30), () -> {
                        JsonNode jobs = expect(200, send("GET", "/api/integrations/" + id + "/sync-jobs", token, null));
                        if (jobs.path("items").isEmpty()) {
                            throw new DemoFailure("no sync job yet");
                        }
                        return jobs.path("items").get(0);
                    }));
            System.out.println("     " + job.path("syncType").asText() + " sync job " + job.path("id").asText() + " "
                    + job.path("status").asText() + " (sync-requested published; accounting-sync-service, which runs "
                    + "Xero syncs, is not in the suite yet; the Plaid integration below is synced end to end)");

            plaid(token, admin);
            overOAuth(token, "ynab", "YNAB", "Demo budget", "the budget (delta from server knowledge 0)");
            overOAuth(token, "hsbc", "HSBC (UK Open Banking)", "Demo current account",
                    "the accounts, balances and transactions (AIS, following Links.Next)");

            JsonNode webhook = step("Fire a Xero webhook, signed by the sandbox, at the webhook-gateway", () -> expect(200,
                    request(sandbox + "/admin/webhooks/xero", "POST", null, Map.of("eventType", "UPDATE"))));
            if (webhook.path("status").asInt() != 200) {
                throw new DemoFailure("the webhook-gateway answered " + webhook.path("status").asInt());
            }
            JsonNode events = step("Find it stored and verified (admin API)", () -> retry(Duration.ofSeconds(10), () -> {
                JsonNode page = expect(200, send("GET", "/api/integrations/admin/webhooks/events?provider=xero", admin,
                        null));
                if (page.path("items").isEmpty()) {
                    throw new DemoFailure("no Xero event stored yet");
                }
                return page;
            }));
            System.out.println("     " + events.path("items").get(0).path("eventType").asText() + " event, verification "
                    + events.path("items").get(0).path("verification").asText());

            JsonNode paypal = step("Fire a PayPal webhook (SHA256withRSA; the gateway fetches the certificate it names)",
                    () -> expect(200, request(sandbox + "/admin/webhooks/paypal", "POST", null,
                            Map.of("eventType", "PAYMENT.CAPTURE.COMPLETED"))));
            if (paypal.path("status").asInt() != 200) {
                throw new DemoFailure("the webhook-gateway answered " + paypal.path("status").asInt()
                        + " to the PayPal webhook");
            }

            JsonNode status = step("Show the integration's status", () -> expect(200, send("GET", "/api/integrations/"
                    + id + "/status", token, null)));
            System.out.printf("     status %s, health score %.2f%n", status.path("status").asText(),
                    status.path("healthScore").asDouble());
        } catch (DemoFailure failure) {
            System.out.println("Demo failed: " + failure.getMessage());
            return 1;
        }
        System.out.printf("%nDemo passed in %.1f s. Where to look:%n",
                Duration.between(begin, Instant.now()).toMillis() / 1000.0);
        for (ServiceComponent.Definition service : ServiceComponent.SERVICES) {
            String base = "http://localhost:" + service.port();
            System.out.printf("  %-20s %s%n", service.name(), switch (service.name()) {
                case "api-gateway" -> base + "/api/**  (the public entry the demo used)";
                case "provider-sandbox" -> base + "/q/swagger-ui  (its knobs under /admin: faults, churn, webhooks)";
                default -> base + "/q/swagger-ui  metrics " + base + "/q/metrics";
            });
        }
        return 0;
    }

    /** A bank through Plaid: Link, the exchange, the first sync run by bank-sync-service, and a Plaid webhook. */
    private void plaid(String token, String admin) {
        JsonNode integration = step("Create a Plaid integration", () -> expect(201, send("POST", "/api/integrations",
                token, Map.of("name", "Demo bank", "provider", "plaid"))));
        String id = integration.path("id").asText();
        step("Get a Plaid Link token (bank-sync-service learns the integration over Kafka)",
                () -> retry(Duration.ofSeconds(30), () -> expect(200, send("POST", "/api/bank/plaid/link/token", token,
                        Map.of("integrationId", id)))));
        String publicToken = step("Pass Link at the sandbox (Plaid's sandbox public token)", () -> expect(200,
                request(sandbox + "/plaid/sandbox/public_token/create", "POST", null, Map.of(
                        "client_id", "sandbox-plaid-client", "secret", "sandbox-plaid-secret",
                        "institution_id", "ins_109508", "initial_products", java.util.List.of("transactions"),
                        "options", Map.of("webhook", gateway + "/api/integrations/webhooks/plaid")))))
                .path("public_token").asText();
        JsonNode linked = step("Exchange the public token (the access token goes to oauth-service only)",
                () -> expect(201, send("POST", "/api/bank/plaid/link/exchange", token,
                        Map.of("integrationId", id, "publicToken", publicToken))));
        String itemId = linked.path("itemId").asText();
        System.out.println("     Item " + itemId + " at institution " + linked.path("institutionId").asText() + ", "
                + linked.path("accounts").size() + " accounts");
        JsonNode job = step("See the first sync run to completion (sync-requested, bank-sync-service, sync-status)",
                () -> retry(Duration.ofSeconds(90), () -> completedJob(id, token)));
        System.out.println("     " + job.path("syncType").asText() + " sync: " + job.path("recordsAdded").asInt()
                + " transactions added");
        JsonNode churned = step("New transactions at the bank: the sandbox sends SYNC_UPDATES_AVAILABLE (ES256-signed)",
                () -> expect(200, request(sandbox + "/admin/plaid/items/" + itemId + "/churn", "POST", null,
                        Map.of("added", 5, "modified", 2, "removed", 1))));
        if (churned.path("webhook").path("status").asInt() != 200) {
            throw new DemoFailure("the webhook-gateway answered " + churned.path("webhook").path("status").asInt());
        }
        JsonNode events = step("Find the Plaid webhook stored and verified (admin API)",
                () -> retry(Duration.ofSeconds(10), () -> {
                    JsonNode page = expect(200, send("GET", "/api/integrations/admin/webhooks/events?provider=plaid",
                            admin, null));
                    if (page.path("items").isEmpty()) {
                        throw new DemoFailure("no Plaid event stored yet");
                    }
                    return page;
                }));
        System.out.println("     " + events.path("items").get(0).path("eventType").asText() + " event, verification "
                + events.path("items").get(0).path("verification").asText());
    }

    /**
     * A YNAB budget or an Open Banking bank over OAuth: oauth-service holds the tokens (the sandbox's
     * bank authorises a consent with every read permission), bank-sync-service syncs it.
     */
    private void overOAuth(String token, String provider, String label, String name, String what) {
        JsonNode integration = step("Create a " + label + " integration", () -> expect(201, send("POST",
                "/api/integrations", token, Map.of("name", name, "provider", provider))));
        String id = integration.path("id").asText();
        JsonNode start = step("Start OAuth for " + label, () -> retry(Duration.ofSeconds(30), () -> expect(200,
                send("POST", "/api/integrations/oauth/authorize", token, Map.of("integrationId", id,
                        "redirectUri", REDIRECT_URI)))));
        Map<String, String> callback = step("Approve at the sandbox's " + label + " consent page",
                () -> approve(start.path("authorizationUrl").asText()));
        step("Exchange the code", () -> expect(200, send("POST", "/api/integrations/oauth/token", token,
                Map.of("code", callback.get("code"), "state", callback.get("state")))));
        JsonNode job = step("See bank-sync-service sync " + what,
                () -> retry(Duration.ofSeconds(90), () -> completedJob(id, token)));
        System.out.println("     " + job.path("syncType").asText() + " sync: " + job.path("recordsAdded").asInt()
                + " transactions added");
    }

    /** The integration's first sync job once it completed; a failed one ends the demo with its reason. */
    private JsonNode completedJob(String integrationId, String token) throws Exception {
        JsonNode jobs = expect(200, send("GET", "/api/integrations/" + integrationId + "/sync-jobs", token, null));
        JsonNode first = jobs.path("items").path(0);
        if (first.path("status").asText().equals("failed")) {
            throw new IllegalStateException("the sync failed: " + first.path("errorCode").asText() + " "
                    + first.path("errorMessage").asText());
        }
        if (first.isMissingNode() || !first.path("status").asText().equals("completed")) {
            throw new DemoFailure("no completed sync job yet");
        }
        return first;
    }

    private <T> T step(String title, Callable<T> action) {
        step++;
        Instant begin = Instant.now();
        System.out.printf("%2d. %s ... ", step, title);
        System.out.flush();
        try {
            T result = action.call();
            System.out.printf("ok (%d ms)%n", Duration.between(begin, Instant.now()).toMillis());
            return result;
        } catch (DemoFailure failure) {
            System.out.println("FAILED");
            throw failure;
        } catch (Exception e) {
            System.out.println("FAILED");
            throw new DemoFailure(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private String token(String user) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(oidc + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                        + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&client_secret=demo")).build(),
                HttpResponse.BodyHandlers.ofString());
        return expect(200, response).path("access_token").asText();
    }

    /** What a browser does at the consent page, with the sandbox's auto-approval; returns the callback's parameters. */
    private Map<String, String> approve(String authorizationUrl) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(authorizationUrl + "&auto=approve"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String location = response.headers().firstValue("Location").orElse(null);
        if (response.statusCode() / 100 != 3 || location == null || !location.startsWith(REDIRECT_URI)) {
            throw new DemoFailure("the consent page answered " + response.statusCode() + " " + response.body());
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    /** A call through the API gateway, as the frontend makes it. */
    private HttpResponse<String> send(String method, String path, String token, Object body) throws Exception {
        return request(gateway + path, method, token, body);
    }

    private HttpResponse<String> request(String url, String method, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode expect(int status, HttpResponse<String> response) throws Exception {
        if (response.statusCode() != status) {
            throw new DemoFailure(response.request().method() + " " + response.request().uri().getPath() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** Until the action passes or the time is up, waiting 100 ms, then twice as long each time, at most 2 s. */
    private static <T> T retry(Duration within, Callable<T> action) throws Exception {
        Instant deadline = Instant.now().plus(within);
        Duration pause = Duration.ofMillis(100);
        while (true) {
            try {
                return action.call();
            } catch (DemoFailure notYet) {
                if (Instant.now().plus(pause).isAfter(deadline)) {
                    throw notYet;
                }
                TimeUnit.MILLISECONDS.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2)
                        : pause.multipliedBy(2);
            }
        }
    }

    static final class DemoFailure extends RuntimeException {
        DemoFailure(String message) {
            super(message);
        }
    }
}
