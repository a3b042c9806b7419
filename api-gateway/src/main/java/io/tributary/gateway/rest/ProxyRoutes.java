package io.tributary.gateway.rest;

import io.quarkus.logging.Log;
import io.tributary.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Routes every {@code /api/**} request to the service that owns its path, streaming bodies both
 * ways, with {@code X-Forwarded-For/-Proto/-Host} set from the caller's connection (a caller's own
 * values are replaced, never trusted). No route: 404; an upstream down: 502; too slow: 504 — each
 * as problem details. Nothing outside {@code /api/} (such as services' internal APIs) is reachable.
 */
@ApplicationScoped
public class ProxyRoutes {

    private static final String PROBLEM = "application/problem+json";

    private final List<Target> targets;
    private final long timeoutMillis;

    record Target(String name, Pattern pattern, SocketAddress address, String host) {
    }

    public ProxyRoutes(GatewayConfig config) {
        this.targets = config.routes().entrySet().stream()
                .sorted(Comparator.comparingInt(entry -> entry.getValue().order()))
                .map(entry -> {
                    URI target = URI.create(entry.getValue().target());
                    int port = target.getPort() > 0 ? target.getPort() : 80;
                    return new Target(entry.getKey(), Pattern.compile(entry.getValue().pattern()),
                            SocketAddress.inetSocketAddress(port, target.getHost()), target.getHost() + ":" + port);
                })
                .toList();
        this.timeoutMillis = config.upstreamTimeout().toMillis();
    }

    void register(@Observes Router router, Vertx vertx) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(5_000)
                .setIdleTimeout(60)
                .setMaxPoolSize(200));
        HttpProxy proxy = HttpProxy.reverseProxy(client);
        proxy.originSelector(this::origin);
        proxy.addInterceptor(new ForwardedHeaders());
        router.route("/api/*").order(-1).handler(context -> route(context, proxy));
    }

    private void route(RoutingContext context, HttpProxy proxy) {
        HttpServerRequest request = context.request();
        Target target = target(request.path());
        if (target == null) {
            problem(context, 404, "Not Found", "No service serves " + request.path());
            return;
        }
        context.put("target", target);
        // the proxy answers 502 itself when the upstream cannot be reached; a stalled one is cut off here
        long timer = context.vertx().setTimer(timeoutMillis, id -> {
            if (!context.response().headWritten()) {
                problem(context, 504, "Gateway Timeout", target.name() + " did not answer in time");
            } else {
                context.response().reset();
            }
        });
        context.addEndHandler(ended -> context.vertx().cancelTimer(timer));
        proxy.handle(request);
    }

    private Future<SocketAddress> origin(HttpServerRequest request) {
        Target target = target(request.path());
        return target == null ? Future.failedFuture("no route") : Future.succeededFuture(target.address());
    }

    private Target target(String path) {
        if (path == null) {
            return null;
        }
        for (Target target : targets) {
            if (target.pattern().matcher(path).matches()) {
                return target;
            }
        }
        return null;
    }

    private static void problem(RoutingContext context, int status, String title, String detail) {
        if (context.response().ended()) {
            return;
        }
        Log.debugf("%s %s: %s", status, context.request().path(), detail);
        context.response().setStatusCode(status).putHeader("Content-Type", PROBLEM)
                .end(new JsonObject().put("type", "about:blank").put("title", title).put("status", status)
                        .put("detail", detail).put("instance", context.request().path()).encode());
    }

    /** Replaces whatever forwarding headers the caller sent with what the gateway saw. */
    static final class ForwardedHeaders implements ProxyInterceptor {

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            HttpServerRequest incoming = context.request().proxiedRequest();
            var headers = context.request().headers();
            headers.set("X-Forwarded-For", incoming.remoteAddress() == null ? "unknown"
                    : incoming.remoteAddress().hostAddress());
            headers.set("X-Forwarded-Proto", incoming.scheme() == null ? "http" : incoming.scheme());
            headers.set("X-Forwarded-Host", incoming.authority() == null ? "" : incoming.authority().toString());
            headers.remove("Forwarded");
            return context.sendRequest();
        }
    }
}
