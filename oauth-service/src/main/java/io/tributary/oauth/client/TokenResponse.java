package io.tributary.oauth.client;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A provider's token response. {@code extras} keeps only known, non-secret account fields a
 * provider adds (Stripe {@code stripe_user_id}, QuickBooks {@code x_refresh_token_expires_in}):
 * extras are stored in clear, so an unexpected field is dropped rather than risked.
 */
public record TokenResponse(String accessToken, String refreshToken, String tokenType, Long expiresIn, String scope,
        Map<String, Object> extras) {

    private static final java.util.Set<String> ACCOUNT_FIELDS = java.util.Set.of("stripe_user_id",
            "stripe_publishable_key", "livemode", "x_refresh_token_expires_in", "refresh_token_expires_in",
            "server_time");

    static TokenResponse from(JsonObject body) {
        Map<String, Object> extras = new java.util.LinkedHashMap<>();
        body.forEach(entry -> {
            if (ACCOUNT_FIELDS.contains(entry.getKey()) && !(entry.getValue() instanceof JsonObject)) {
                extras.put(entry.getKey(), entry.getValue());
            }
        });
        Object expiresIn = body.getValue("expires_in");
        return new TokenResponse(body.getString("access_token"), body.getString("refresh_token"),
                body.getString("token_type"), expiresIn == null ? null : Long.valueOf(expiresIn.toString()),
                body.getString("scope"), extras);
    }

    public Optional<Duration> lifetime() {
        return Optional.ofNullable(expiresIn).map(Duration::ofSeconds);
    }

    /** Shows no token: a record's default toString would. */
    @Override
    public String toString() {
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", extras=" + extras.keySet() + "]";
    }
}
