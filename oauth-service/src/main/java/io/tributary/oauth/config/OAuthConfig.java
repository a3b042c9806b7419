package io.tributary.oauth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** oauth-service settings, under {@code oauth.*}. */
@ConfigMapping(prefix = "oauth")
public interface OAuthConfig {

    Vault vault();

    Authorization authorization();

    /** The OAuth providers this deployment can connect, by provider id (as in the catalogue). */
    Map<String, ProviderSettings> providers();

    /** Providers connected with a key the user enters rather than OAuth consent. */
    @WithDefault("yclients,iiko,1c,renovatio,paypal,kra_itax")
    Set<String> apiKeyProviders();

    Refresh refresh();

    Resilience resilience();

    interface Resilience {

        /** Retries of a token call that failed transiently (5xx, 429, timeout). */
        @WithDefault("2")
        int maxRetries();

        /** First wait before a retry; doubles after each, up to 2 s, with jitter. */
        @WithDefault("200ms")
        Duration retryDelay();

        /** Calls in the breaker's window; when half of them failed, the provider's calls pause. */
        @WithDefault("10")
        int circuitBreakerVolume();

        /** How long calls to a failing provider pause before one is let through again. */
        @WithDefault("30s")
        Duration circuitBreakerDelay();
    }

    interface Vault {

        /** The Tink keyset (JSON) of AES-256-GCM keys; its primary key encrypts, every key decrypts. */
        String keyset();

        /** Rows re-encrypted under the primary key per round of the background job. */
        @WithDefault("200")
        int reencryptBatchSize();

        @WithDefault("30s")
        String reencryptEvery();
    }

    interface Authorization {

        /** How long a user has between being sent to the provider and coming back. */
        @WithDefault("10m")
        Duration stateLifetime();
    }

    interface Refresh {

        /** A credential expiring within this is refreshed before it is handed out. */
        @WithDefault("5m")
        Duration skew();

        /** The proactive refresh renews tokens expiring within this. */
        @WithDefault("15m")
        Duration window();

        /** How often the proactive refresh and the expiry forecast run. */
        @WithDefault("60s")
        String every();

        /** Credentials refreshed per round. */
        @WithDefault("100")
        int batchSize();

        /** How far ahead the user is warned that a consent or refresh token will run out. */
        @WithDefault("7d")
        Duration forecast();
    }

    interface ProviderSettings {

        String authorizationUrl();

        /**
         * May name a kept callback parameter in braces, e.g. amoCRM's
         * {@code https://{referer}/oauth2/access_token}: each account has its own token endpoint.
         */
        String tokenUrl();

        /** Where to revoke on deletion; none when the provider has no revocation endpoint. */
        Optional<String> revocationUrl();

        @WithDefault("form-token")
        RevocationStyle revocationStyle();

        Optional<List<String>> scopes();

        /** Whether the provider takes PKCE (S256). */
        @WithDefault("false")
        boolean pkce();

        /** How the client authenticates at the token endpoint. */
        @WithDefault("basic")
        ClientAuthentication clientAuthentication();

        /** Callback parameters to keep with the credential, e.g. QuickBooks {@code realmId}. */
        Optional<List<String>> callbackParameters();

        /**
         * The pattern a kept callback parameter must match; a parameter that reaches a URL must
         * have one, or a forged value could send our client secret elsewhere.
         */
        Map<String, String> callbackParameterPatterns();

        /** Tenant discovery after connecting, e.g. Xero {@code GET /connections}. */
        Optional<String> connectionsUrl();

        /** From the environment; a provider without one is not connectable on this deployment. */
        Optional<String> clientId();

        Optional<String> clientSecret();

        /** The only redirect URIs accepted (exact match): no open redirect. */
        List<String> redirectUris();

        /** How long a consent lasts however often tokens refresh (Open Banking: 90 days). */
        Optional<Duration> consentLifetime();

        /**
         * UK Open Banking: the ASPSP's {@code account-access-consents} endpoint. When set, each
         * authorization first creates a consent there with a client-credentials token, names it in
         * a signed request object, and deletes it when the integration is deleted.
         */
        Optional<String> consentsUrl();

        /** The permissions an Open Banking consent asks for. */
        @WithDefault("ReadAccountsDetail,ReadBalances,ReadTransactionsBasic,ReadTransactionsCredits,"
                + "ReadTransactionsDebits,ReadTransactionsDetail")
        List<String> consentPermissions();
    }

    enum ClientAuthentication { BASIC, BODY }

    /** How the provider's revocation endpoint wants the token: form field, JSON body, or Stripe's deauthorize. */
    enum RevocationStyle { FORM_TOKEN, JSON_TOKEN, STRIPE_DEAUTHORIZE }
}
