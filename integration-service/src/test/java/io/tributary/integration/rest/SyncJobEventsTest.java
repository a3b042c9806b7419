package io.tributary.integration.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.tributary.contracts.event.SyncState;
import io.tributary.integration.TestTokens;
import io.tributary.testsupport.InfrastructureTestResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tributary.integration.IntegrationFixtures.connect;
import static io.tributary.integration.IntegrationFixtures.createIntegration;
import static io.tributary.integration.IntegrationFixtures.newUser;
import static io.tributary.integration.IntegrationFixtures.publishReport;
import static io.tributary.integration.IntegrationFixtures.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(OidcWiremockTestResource.class)
class SyncJobEventsTest {

    @TestHTTPResource("/api/integrations")
    URL integrations;

    @Test
    void shouldStreamAJobsProgressUntilItCompletes() throws Exception {
        String alice = newUser();
        String id = createIntegration(alice, "plaid");
        String jobId = connect(alice, id);
        List<String> lines = new CopyOnWriteArrayList<>();

        CompletableFuture<HttpResponse<Void>> stream = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create(integrations + "/" + id + "/sync-jobs/" + jobId + "/events"))
                        .header("Authorization", "Bearer " + TestTokens.user(alice))
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(new LineCollector(lines)));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event:pending"));
        publishReport(report(id, jobId, SyncState.RUNNING, 0, 0, null));
        publishReport(report(id, jobId, SyncState.PROGRESS, 250, 0, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(line -> line.contains("\"recordsAdded\":250")));
        publishReport(report(id, jobId, SyncState.COMPLETED, 400, 12, null));

        HttpResponse<Void> response = stream.get(30, TimeUnit.SECONDS); // ends by itself after the final state
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String> events = lines.stream().filter(line -> line.startsWith("event:")).toList();
        assertThat(events.get(0)).isEqualTo("event:pending");
        assertThat(events).contains("event:running");
        assertThat(events.get(events.size() - 1)).isEqualTo("event:completed");
        assertThat(lines.stream().filter(line -> line.startsWith("data:")).reduce((first, last) -> last).orElseThrow())
                .contains("\"recordsAdded\":400").contains("\"recordsUpdated\":12").contains("\"status\":\"completed\"");
    }

    @Test
    void shouldNotStreamAnotherUsersJob() throws Exception {
        String alice = newUser();
        String id = createIntegration(alice, "plaid");
        String jobId = connect(alice, id);

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(integrations + "/" + id + "/sync-jobs/" + jobId + "/events"))
                        .header("Authorization", "Bearer " + TestTokens.user(newUser()))
                        .header("Accept", "text/event-stream")
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain(jobId + "\",\"integrationId");
    }

    /** Collects the raw lines of the event stream as they arrive. */
    private record LineCollector(List<String> lines) implements java.util.concurrent.Flow.Subscriber<String> {

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            lines.add(line);
        }

        @Override
        public void onError(Throwable throwable) {
            lines.add("error:" + throwable.getClass().getSimpleName());
        }

        @Override
        public void onComplete() {
            lines.add("complete");
        }
    }
}
