package io.tributary.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The gateway's routing table as the issue gives it, with each service stood in for by WireMock. */
@QuarkusTest
@WithTestResource(BackendsTestResource.class)
class ProxyRoutesTest {

    BackendsTestResource.Backends backends;

    @BeforeEach
    void forget() {
        for (String service : BackendsTestResource.SERVICES) {
            backends.get(service).resetRequests();
        }
    }

    @Test
    void eachPathGoesToTheServiceThatOwnsIt() {
        String id = "6f1c1d4e-8a1b-4c11-9a0e-3d2b1c0a9f11";
        assertRoutedTo("POST", "/api/integrations/webhooks/stripe", "webhook-gateway");
        assertRoutedTo("POST", "/api/integrations/webhooks/amocrm/tok3n", "webhook-gateway");
        assertRoutedTo("GET", "/api/integrations/admin/webhooks/events?provider=stripe", "webhook-gateway");
        assertRoutedTo("POST", "/api/integrations/oauth/authorize", "oauth-service");
        assertRoutedTo("POST", "/api/integrations/oauth/token", "oauth-service");
        assertRoutedTo("POST", "/api/integrations/" + id + "/oauth/refresh", "oauth-service");
        assertRoutedTo("PUT", "/api/integrations/" + id + "/credentials", "oauth-service");
        assertRoutedTo("POST", "/api/integrations/refresh-expired-tokens", "oauth-service");
        assertRoutedTo("GET", "/api/integrations", "integration-service");
        assertRoutedTo("GET", "/api/integrations/providers", "integration-service");
        assertRoutedTo("GET", "/api/integrations/" + id + "/status", "integration-service");
        assertRoutedTo("POST", "/api/integrations/" + id + "/sync", "integration-service");
        assertRoutedTo("GET", "/api/integrations/" + id + "/logs?action=sync", "integration-service");
        assertRoutedTo("POST", "/api/bank/plaid/link/exchange", "bank-sync-service");
        assertRoutedTo("GET", "/api/bank/transactions?pending=true", "bank-sync-service");
        // a prefix match needs the whole segment
        given().when().get("/api/bankrupt").then().statusCode(404);
    }

    @Test
    void passesMethodQueryBodyAndHeadersThroughAndSetsForwardedHeadersItself() {
        given().header("Authorization", "Bearer abc").header("X-Forwarded-For", "6.6.6.6")
                .contentType("application/json").body("{\"name\": \"Mint export\"}")
                .queryParam("page", 2)
                .post("/api/integrations")
                .then().statusCode(200).body("service", equalTo("integration-service"));

        LoggedRequest received = only("integration-service");
        assertThat(received.getMethod().getName()).isEqualTo("POST");
        assertThat(received.getUrl()).isEqualTo("/api/integrations?page=2");
        assertThat(received.getBodyAsString()).isEqualTo("{\"name\": \"Mint export\"}");
        assertThat(received.getHeader("Authorization")).isEqualTo("Bearer abc");
        assertThat(received.getHeader("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(received.getHeader("X-Forwarded-Proto")).isEqualTo("http");
    }

    @Test
    void passesTheServicesAnswersBackAsTheyAre() {
        backends.get("oauth-service").stubFor(get(urlEqualTo("/api/integrations/oauth/authorize-missing"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\": 404}")));
        given().get("/api/integrations/oauth/authorize-missing")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void answersWhatItCannotRouteOrReachAsProblemDetails() {
        given().get("/api/unknown/thing").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
        // services' internal APIs are not public
        given().get("/internal/credentials/6f1c1d4e-8a1b-4c11-9a0e-3d2b1c0a9f11").then().statusCode(404);
        given().get("/api/nowhere/x").then().statusCode(502);
        for (String service : BackendsTestResource.SERVICES) {
            assertThat(backends.get(service).findAll(anyRequestedFor(anyUrl()))).as(service).isEmpty();
        }
    }

    @Test
    void cutsOffAServiceThatDoesNotAnswerInTime() {
        backends.get("integration-service").stubFor(get(urlEqualTo("/api/integrations/slow"))
                .willReturn(aResponse().withFixedDelay(3_000).withStatus(200)));
        given().get("/api/integrations/slow").then().statusCode(504).contentType("application/problem+json");
    }

    private void assertRoutedTo(String method, String path, String service) {
        forget();
        given().contentType("application/json").body("{}").request(method, path)
                .then().statusCode(200).body("service", equalTo(service));
        for (String other : BackendsTestResource.SERVICES) {
            List<LoggedRequest> requests = backends.get(other).findAll(anyRequestedFor(anyUrl()));
            assertThat(requests).as(method + " " + path + " at " + other).hasSize(other.equals(service) ? 1 : 0);
        }
    }

    private LoggedRequest only(String service) {
        List<LoggedRequest> requests = backends.get(service).findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}
