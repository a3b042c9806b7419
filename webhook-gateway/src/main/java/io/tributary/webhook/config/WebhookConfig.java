package io.tributary.webhook.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** webhook-gateway settings, under {@code webhook.*}. */
@ConfigMapping(prefix = "webhook")
public interface WebhookConfig {

    /** The providers whose webhooks are accepted, by provider id; any other id answers 404. */
    Map<String, ProviderSettings> providers();

    Plaid plaid();

    PayPal paypal();

    /** The Tink keyset (JSON) that encrypts endpoints' signing secrets; its primary key encrypts, every key decrypts. */
    String secretsKeyset();

    RateLimit rateLimit();

    Store store();

    /** How verified deliveries are written: in groups, each group one transaction. */
    interface Store {

        /**
         * Transactions in flight at once; deliveries arriving meanwhile wait for the next group. Few
         * and large beat many and small: each transaction costs round trips and CPU of its own.
         */
        @WithDefault("2")
        int writers();

        /** Deliveries per transaction at most. */
        @WithDefault("200")
        int maxGroup();
    }

    /**
     * Token buckets per route: one per-connection endpoint, or a provider-wide route. A flood on
     * one is answered 429 and leaves the others alone.
     */
    interface RateLimit {

        /** Sustained deliveries per second to one per-connection endpoint. */
        @WithDefault("50")
        long perEndpoint();

        @WithDefault("200")
        long endpointBurst();

        /** Sustained deliveries per second to a provider-wide route (all of that provider's accounts). */
        @WithDefault("20000")
        long perProvider();

        @WithDefault("40000")
        long providerBurst();
    }

    /** Where Plaid's webhook verification keys come from. */
    interface Plaid {

        @WithDefault("https://production.plaid.com")
        String baseUrl();

        Optional<String> clientId();

        Optional<String> secret();

        /** How long a fetched key is trusted before it is fetched again (Plaid may expire keys). */
        @WithDefault("1h")
        Duration keyCacheLifetime();
    }

    /** Where PayPal's signing certificates may come from. */
    interface PayPal {

        /** The only hosts a {@code PAYPAL-CERT-URL} may name; no request goes to any other. */
        @WithDefault("api.paypal.com,api-m.paypal.com,api.sandbox.paypal.com,api-m.sandbox.paypal.com")
        List<String> certificateHosts();

        /** Certificates only over HTTPS on the default port; off only for a local stub. */
        @WithDefault("true")
        boolean requireHttps();

        @WithDefault("24h")
        Duration certificateCacheLifetime();
    }

    interface ProviderSettings {

        Scheme scheme();

        /** Signing secrets from the environment; two during a rotation. None: every delivery is refused. */
        Optional<List<String>> secrets();

        /** How old a signed timestamp may be (replay protection). */
        @WithDefault("300s")
        Duration tolerance();
    }

    /**
     * The signature schemes of shared/providers.md section 3; {@code URL_SECRET} for providers that
     * sign nothing (amoCRM, YCLIENTS): only per-connection endpoints, whose unguessable URL is the
     * secret, and whose payload is only a hint to re-fetch.
     */
    enum Scheme { STRIPE, STANDARD_WEBHOOKS, QUICKBOOKS, XERO, HUBSPOT, PLAID, PAYPAL, URL_SECRET }
}
