package io.tributary.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** Four WireMock servers in the services' places, each answering with its own name; one route to nowhere. */
public class BackendsTestResource implements QuarkusTestResourceLifecycleManager {

    static final String[] SERVICES = {"integration-service", "oauth-service", "webhook-gateway",
        "bank-sync-service"};
    private final Map<String, WireMockServer> servers = new java.util.HashMap<>();

    @Override
    public Map<String, String> start() {
        for (String service : SERVICES) {
            WireMockServer server = new WireMockServer(options().dynamicPort());
            server.start();
            server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("{\"service\": \"" + service + "\"}")));
            servers.put(service, server);
        }
        return Map.of(
                "gateway.routes.integrations.target", servers.get("integration-service").baseUrl(),
                "gateway.routes.oauth.target", servers.get("oauth-service").baseUrl(),
                "gateway.routes.webhooks.target", servers.get("webhook-gateway").baseUrl(),
                "gateway.routes.bank.target", servers.get("bank-sync-service").baseUrl(),
                "gateway.routes.nowhere.order", "5",
                "gateway.routes.nowhere.pattern", "/api/nowhere(/.*)?",
                "gateway.routes.nowhere.target", "http://localhost:" + closedPort(),
                "gateway.upstream-timeout", "1s");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new Backends(servers),
                new TestInjector.MatchesType(Backends.class));
    }

    @Override
    public void stop() {
        servers.values().forEach(WireMockServer::stop);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stand-ins, by service name. */
    public record Backends(Map<String, WireMockServer> byName) {

        public WireMockServer get(String service) {
            return byName.get(service);
        }
    }
}
