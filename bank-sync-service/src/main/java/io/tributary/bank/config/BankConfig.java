package io.tributary.bank.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** bank-sync-service settings, under {@code bank.*}. */
@ConfigMapping(prefix = "bank")
public interface BankConfig {

    Plaid plaid();

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
    }
}
