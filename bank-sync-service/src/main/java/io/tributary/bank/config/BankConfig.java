package io.tributary.bank.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** bank-sync-service settings, under {@code bank.*}. */
@ConfigMapping(prefix = "bank")
public interface BankConfig {

    Plaid plaid();

    Credentials credentials();

    OpenBanking openBanking();

    Ynab ynab();

    /** YNAB API v1. */
    interface Ynab {

        String baseUrl();

        /** The budget an integration reads: YNAB's alias for the one the user last opened. */
        @WithDefault("last-used")
        String budget();

        @WithDefault("30s")
        Duration timeout();
    }

    /** UK Open Banking ASPSPs: each bank's base URL, to which {@code /open-banking/v3.1/aisp} is added. */
    interface OpenBanking {

        /** Keyed by provider id (hsbc, barclays, lloyds, santander). */
        java.util.Map<String, String> baseUrls();

        @WithDefault("30s")
        Duration timeout();

        /** Days read again before the last run's date: banks book late and pages overlap; upserts absorb it. */
        @WithDefault("3")
        int overlapDays();

        /** How far back a first sync reads. */
        @WithDefault("365")
        int historyDays();
    }

    Sync sync();

    /** oauth-service's internal credentials API. */
    interface Credentials {

        String baseUrl();

        @WithDefault("10s")
        Duration timeout();
    }

    /** The queue of sync runs. */
    interface Sync {

        /** Runs one replica works on at once. */
        @WithDefault("4")
        int workers();

        /** How long a claimed run is held without a page committed before another replica may take it over. */
        @WithDefault("2m")
        Duration lease();

        /** How often a replica looks for due runs when nothing woke it (a retry's time came, a lease ran out). */
        @WithDefault("5s")
        Duration pollInterval();

        /** Attempts after a passing failure (provider or oauth-service down) before the run fails. */
        @WithDefault("5")
        int maxRetries();

        /** First wait after a passing failure; doubles with each attempt. */
        @WithDefault("30s")
        Duration retryBackoff();

        /** Wait after a provider's rate limit when it names none (Plaid does not). */
        @WithDefault("60s")
        Duration rateLimitDelay();

        /** Rate-limited attempts before the run fails. */
        @WithDefault("10")
        int maxRateLimited();
    }

    interface Plaid {

        String baseUrl();

        String clientId();

        String secret();

        /** Transactions per {@code /transactions/sync} page (Plaid allows 1–500). */
        @WithDefault("500")
        int pageSize();

        /** Restarts of one run from its first cursor after TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION. */
        @WithDefault("3")
        int maxRestarts();

        @WithDefault("30s")
        Duration timeout();

        /** Shown to the user in Link. */
        @WithDefault("Tributary")
        String clientName();

        /** Countries whose institutions Link offers. */
        @WithDefault("US,GB")
        java.util.List<String> countryCodes();

        @WithDefault("en")
        String language();

        /** Where Plaid posts Item webhooks: webhook-gateway's {@code /api/integrations/webhooks/plaid}, public. */
        java.util.Optional<String> webhookUrl();

        /** The app's OAuth redirect page, registered with Plaid, for banks that log in with OAuth. */
        java.util.Optional<String> redirectUri();
    }
}
