package io.tributary.integration.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** integration-service settings, under {@code integration.*}. */
@ConfigMapping(prefix = "integration")
public interface IntegrationServiceConfig {

    Scheduler scheduler();

    /** How often the integrations-by-status gauge is recounted. */
    @WithDefault("30s")
    String metricsRefresh();

    SyncJobs syncJobs();

    interface Scheduler {

        /** How often due integrations are looked for. */
        @WithDefault("15s")
        String every();

        /** Integrations claimed per scheduling transaction. */
        @WithDefault("200")
        int batchSize();
    }

    interface SyncJobs {

        /** A job with no word from its sync service for this long is failed, so the integration can sync again. */
        @WithDefault("2h")
        Duration staleAfter();

        /** How often the progress stream re-reads its job. */
        @WithDefault("1s")
        Duration progressPollInterval();

        /** Finished jobs the health score looks at. */
        @WithDefault("10")
        int healthWindow();
    }
}
