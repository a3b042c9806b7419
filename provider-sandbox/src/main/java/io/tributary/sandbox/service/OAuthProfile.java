package io.tributary.sandbox.service;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How one provider runs OAuth (shared/providers.md section 1): how the client authenticates at
 * the token endpoint, how long an access token lives (Stripe's never expires), whether a refresh
 * rotates the refresh token (Xero, QuickBooks: the old one is dead at once) and what the callback
 * carries besides {@code code} and {@code state}.
 */
public record OAuthProfile(String provider, boolean basicClientAuth, Duration accessLifetime,
        boolean rotatesRefreshToken, Duration refreshLifetime, String callbackAccountParameter) {

    /** UK Open Banking ASPSPs: one implementation, per-bank prefixes; refresh tokens last the consent (90 days). */
    public static final java.util.Set<String> OPEN_BANKING = java.util.Set.of("hsbc", "barclays", "lloyds", "santander");

    private static final Map<String, OAuthProfile> PROFILES = Map.of(
            "hsbc", openBanking("hsbc"), "barclays", openBanking("barclays"), "lloyds", openBanking("lloyds"),
            "santander", openBanking("santander"),
            // YNAB: 2-hour access tokens; each refresh returns a new refresh token (the old one is spent)
            "ynab", new OAuthProfile("ynab", false, Duration.ofHours(2), true, null, null),
            // PayPal: Basic client auth at /v1/oauth2/token, 9-hour access tokens, the refresh token is kept
            "paypal", new OAuthProfile("paypal", true, Duration.ofHours(9), false, null, null),
            // amoCRM: client credentials in the body, 24-hour access, single-use refresh tokens; the callback
            // names the account's domain in referer, and the token endpoint lives on that domain
            "amocrm", new OAuthProfile("amocrm", false, Duration.ofHours(24), true, Duration.ofDays(90), "referer"),
            "xero", new OAuthProfile("xero", true, Duration.ofMinutes(30), true, Duration.ofDays(60), null),
            // realmId (the company) comes back on the callback; the refresh token lives 100 days unused
            "quickbooks", new OAuthProfile("quickbooks", true, Duration.ofHours(1), true, Duration.ofDays(101),
                    "realmId"),
            // Stripe: the access token does not expire; the refresh token is not rotated
            "stripe", new OAuthProfile("stripe", false, null, false, null, null));

    private static OAuthProfile openBanking(String bank) {
        return new OAuthProfile(bank, true, Duration.ofHours(1), false, Duration.ofDays(90), null);
    }

    public static Optional<OAuthProfile> of(String provider) {
        return Optional.ofNullable(PROFILES.get(provider));
    }

    public boolean accessExpires() {
        return accessLifetime != null;
    }
}
