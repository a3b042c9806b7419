package io.tributary.sandbox.client;

import io.smallrye.mutiny.Uni;
import io.tributary.sandbox.config.SandboxConfig;
import io.tributary.sandbox.service.WebhookSigner;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;

/** Delivers signed webhooks to the configured receiver, or to the URL an Item registered. */
@ApplicationScoped
public class WebhookSender {

    private final WebClient client;
    private final WebhookSigner signer;
    private final String targetUrl;

    public WebhookSender(Vertx vertx, WebhookSigner signer, SandboxConfig config) {
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setFollowRedirects(false));
        this.signer = signer;
        this.targetUrl = config.webhooks().targetUrl();
    }

    /** What the receiver answered. */
    public record Delivery(String url, int status) {
    }

    /** Whether a receiver URL can be posted to: absolute http(s) with a host. */
    public static boolean deliverable(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException | NullPointerException e) {
            return false;
        }
    }

    /**
     * Signs {@code body} as {@code provider} does and posts it; {@code url} null means the configured
     * receiver. A receiver that cannot be reached is answered as status 0, as a provider records a
     * failed delivery, not as an error of the caller.
     */
    public Uni<Delivery> send(String provider, byte[] body, String url) {
        String target = url != null ? url : targetUrl.replaceAll("/+$", "") + "/" + provider;
        if (!deliverable(target)) {
            return Uni.createFrom().item(new Delivery(target, 0));
        }
        URI uri = URI.create(target);
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        HttpRequest<io.vertx.mutiny.core.buffer.Buffer> request = client
                .post(port, uri.getHost(), path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                .ssl(tls)
                .timeout(Duration.ofSeconds(10).toMillis())
                .putHeader("Content-Type", "application/json");
        for (Map.Entry<String, String> header : signer.sign(provider, body).entrySet()) {
            request.putHeader(header.getKey(), header.getValue());
        }
        return request.sendBuffer(io.vertx.mutiny.core.buffer.Buffer.newInstance(Buffer.buffer(body)))
                .map(response -> new Delivery(target, response.statusCode()))
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Could not deliver a %s webhook to %s (%s)", provider, target,
                            failure.getClass().getSimpleName());
                    return new Delivery(target, 0);
                });
    }
}
