package io.tributary.localstack;

import java.util.HashMap;
import java.util.Map;

/**
 * Points every service at the provider sandbox instead of the real providers: OAuth endpoints and
 * clients for oauth-service, Plaid's key endpoint and the webhook secrets for the webhook-gateway,
 * and the gateway as where the sandbox delivers its signed webhooks. Each service reads only its
 * own variables; the values are the sandbox's defaults (provider-sandbox application.properties).
 */
final class ProviderWiring {

    private ProviderWiring() {
    }

    static Map<String, String> environment(String sandbox, String webhookGateway) {
        Map<String, String> environment = new HashMap<>();
        // oauth-service: the providers' authorization servers
        oauth(environment, "XERO", sandbox + "/xero/identity/connect/authorize", sandbox + "/xero/connect/token",
                sandbox + "/xero/connect/revocation");
        environment.put("OAUTH_PROVIDERS_XERO_CONNECTIONS_URL", sandbox + "/xero/connections");
        environment.put("XERO_CLIENT_ID", "sandbox-xero-client");
        environment.put("XERO_CLIENT_SECRET", "sandbox-xero-secret");
        oauth(environment, "QUICKBOOKS", sandbox + "/quickbooks/connect/oauth2",
                sandbox + "/quickbooks/oauth2/v1/tokens/bearer", sandbox + "/quickbooks/v2/oauth2/tokens/revoke");
        environment.put("QUICKBOOKS_CLIENT_ID", "sandbox-quickbooks-client");
        environment.put("QUICKBOOKS_CLIENT_SECRET", "sandbox-quickbooks-secret");
        oauth(environment, "STRIPE", sandbox + "/stripe/oauth/authorize", sandbox + "/stripe/oauth/token",
                sandbox + "/stripe/oauth/deauthorize");
        environment.put("STRIPE_CLIENT_ID", "ca_sandbox");
        environment.put("STRIPE_SECRET_KEY", "sk_test_sandbox");
        environment.put("OAUTH_PROVIDERS_PAYPAL_AUTHORIZATION_URL", sandbox + "/paypal/signin/authorize");
        environment.put("OAUTH_PROVIDERS_PAYPAL_TOKEN_URL", sandbox + "/paypal/v1/oauth2/token");
        environment.put("PAYPAL_CLIENT_ID", "sandbox-paypal-client");
        environment.put("PAYPAL_CLIENT_SECRET", "sandbox-paypal-secret");
        // amoCRM's token endpoint is on the account's domain: the sandbox serves every domain under one prefix
        environment.put("OAUTH_PROVIDERS_AMOCRM_AUTHORIZATION_URL", sandbox + "/amocrm/oauth");
        environment.put("OAUTH_PROVIDERS_AMOCRM_TOKEN_URL", sandbox + "/amocrm/{referer}/oauth2/access_token");
        environment.put("AMOCRM_CLIENT_ID", "sandbox-amocrm-client");
        environment.put("AMOCRM_CLIENT_SECRET", "sandbox-amocrm-secret");
        environment.put("OAUTH_PROVIDERS_YNAB_AUTHORIZATION_URL", sandbox + "/ynab/oauth/authorize");
        environment.put("OAUTH_PROVIDERS_YNAB_TOKEN_URL", sandbox + "/ynab/oauth/token");
        environment.put("YNAB_CLIENT_ID", "sandbox-ynab-client");
        environment.put("YNAB_CLIENT_SECRET", "sandbox-ynab-secret");
        environment.put("YNAB_API_URL", sandbox + "/ynab/v1");
        // oauth-service: the UK Open Banking ASPSPs, one sandbox implementation under each bank's prefix
        for (String bank : java.util.List.of("hsbc", "barclays", "lloyds", "santander")) {
            String upper = bank.toUpperCase(java.util.Locale.ROOT);
            environment.put(upper + "_AUTHORIZATION_URL", sandbox + "/" + bank + "/authorize");
            environment.put(upper + "_TOKEN_URL", sandbox + "/" + bank + "/token");
            environment.put(upper + "_CLIENT_ID", "sandbox-" + bank + "-client");
            environment.put(upper + "_CLIENT_SECRET", "sandbox-" + bank + "-secret");
            // oauth-service creates the account-access consent there before sending the user to the bank
            environment.put(upper + "_CONSENTS_URL", sandbox + "/" + bank
                    + "/open-banking/v3.1/aisp/account-access-consents");
            // bank-sync-service: the bank's Account and Transaction API
            environment.put(upper + "_AIS_BASE_URL", sandbox + "/" + bank);
        }
        // webhook-gateway (Plaid's verification keys) and bank-sync-service (Plaid's API), and the
        // secrets the sandbox signs webhooks with
        environment.put("PLAID_BASE_URL", sandbox + "/plaid");
        environment.put("PLAID_WEBHOOK_URL", webhookGateway + "/api/integrations/webhooks/plaid");
        environment.put("PLAID_CLIENT_ID", "sandbox-plaid-client");
        environment.put("PLAID_SECRET", "sandbox-plaid-secret");
        environment.put("STRIPE_WEBHOOK_SECRETS", "whsec_sandbox_stripe");
        environment.put("QUICKBOOKS_WEBHOOK_VERIFIER_TOKENS", "sandbox-quickbooks-verifier");
        environment.put("XERO_WEBHOOK_KEYS", "sandbox-xero-webhook-key");
        // PayPal signs with a key whose certificate the sandbox serves over plain HTTP on its own host:
        // the gateway may fetch it from there (and only there) in the local stack
        environment.put("PAYPAL_WEBHOOK_IDS", "WH-SANDBOX-PAYPAL");
        environment.put("WEBHOOK_PAYPAL_CERTIFICATE_HOSTS", java.net.URI.create(sandbox).getHost());
        environment.put("WEBHOOK_PAYPAL_REQUIRE_HTTPS", "false");
        environment.put("SANDBOX_PUBLIC_URL", sandbox);
        // provider-sandbox: where its webhooks go
        environment.put("SANDBOX_WEBHOOK_TARGET_URL", webhookGateway + "/api/integrations/webhooks");
        return environment;
    }

    private static void oauth(Map<String, String> environment, String provider, String authorize, String token,
            String revoke) {
        environment.put("OAUTH_PROVIDERS_" + provider + "_AUTHORIZATION_URL", authorize);
        environment.put("OAUTH_PROVIDERS_" + provider + "_TOKEN_URL", token);
        environment.put("OAUTH_PROVIDERS_" + provider + "_REVOCATION_URL", revoke);
    }
}
