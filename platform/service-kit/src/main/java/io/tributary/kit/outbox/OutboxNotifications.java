package io.tributary.kit.outbox;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tributary.kit.config.KitConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Listens on the schema's outbox channel, which the outbox table's trigger notifies on every
 * committed insert, and wakes the relay. Reconnects by itself; after a (re)connect it wakes the
 * relay too, since notifications sent while it was away are gone.
 */
@ApplicationScoped
public class OutboxNotifications {

    private final Vertx vertx;
    private final OutboxRelay relay;
    private final KitConfig config;
    private final String url;
    private final Optional<String> username;
    private final Optional<String> password;
    private PgSubscriber subscriber;

    public OutboxNotifications(Vertx vertx, OutboxRelay relay, KitConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.relay = relay;
        this.config = config;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.outbox().relayEnabled()) {
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        String channel = OutboxSql.notifyChannel(config.dbSchema());
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempts -> 1_000L);
        subscriber.channel(channel)
                .subscribeHandler(nothing -> relay.wakeUp())
                .handler(payload -> relay.wakeUp());
        subscriber.connect().onFailure(e -> Log.warnf(
                "Cannot LISTEN on %s (%s); the outbox relay falls back to polling", channel, e.getClass().getSimpleName()));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
