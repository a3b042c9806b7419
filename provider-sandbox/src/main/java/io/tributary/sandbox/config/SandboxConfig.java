package io.tributary.sandbox.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** provider-sandbox settings, under {@code sandbox.*}. */
@ConfigMapping(prefix = "sandbox")
public interface SandboxConfig {

    OAuth oauth();

    Plaid plaid();

    Webhooks webhooks();

    OpenBanking openBanking();

    Books books();

    /** The sandbox's own address as others reach it (the certificate URL of PayPal's webhooks). */
    String publicUrl();

    Xero xero();

    Yclients yclients();

    interface Yclients {

        /** The partner token YCLIENTS issued to the integration: every call carries it. */
        String partnerToken();
    }

    /** Xero's per-tenant limits (developer.xero.com/faq/limits): a call over them is a 429. */
    interface Xero {

        @WithDefault("60")
        int minuteLimit();

        @WithDefault("5000")
        int dayLimit();

        @WithDefault("10000")
        int appMinuteLimit();
    }

    /** The generated books of the record-listing APIs (Stripe, PayPal, Xero, QuickBooks, amoCRM, YCLIENTS). */
    interface Books {

        /** Records of history in a collection of a connected account, unless the admin set another volume. */
        @WithDefault("200")
        long records();
    }

    interface OpenBanking {

        @WithDefault("2")
        int accountsPerConsent();

        @WithDefault("120")
        int transactionsPerAccount();

        /** Records per page; the spec says 25–1000, and pages overlap by one record. */
        @WithDefault("50")
        int pageSize();
    }

    interface OAuth {

        /** The registered client of each OAuth provider the sandbox plays. */
        Map<String, Client> clients();

        /** Redirect URIs a client may name; anything else is refused as the provider would. */
        List<String> redirectUris();

        /** How long an authorization code can be exchanged. */
        @WithDefault("10m")
        Duration codeLifetime();
    }

    interface Client {

        String clientId();

        String clientSecret();
    }

    interface Plaid {

        String clientId();

        String secret();

        /** Accounts of an Item created without volume knobs. */
        @WithDefault("2")
        int accountsPerItem();

        /** Transactions per account of an Item created without volume knobs. */
        @WithDefault("120")
        int transactionsPerAccount();
    }

    interface Webhooks {

        /** Deliveries go to {@code {targetUrl}/{provider}}. */
        String targetUrl();

        String stripeSecret();

        String quickbooksVerifierToken();

        String xeroKey();

        /** The receiving endpoint's webhook id, which PayPal's signature covers. */
        String paypalWebhookId();
    }
}
