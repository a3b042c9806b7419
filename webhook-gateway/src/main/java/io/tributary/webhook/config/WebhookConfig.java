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

    /** The signature schemes of shared/providers.md section 3. */
    enum Scheme { STRIPE, STANDARD_WEBHOOKS, QUICKBOOKS, XERO, HUBSPOT, PLAID, PAYPAL }
}
