package io.tributary.webhook.verification;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Stripe: {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=...]}, HMAC-SHA256 (hex) of
 * {@code <t>.<raw body>} keyed with the UTF-8 bytes of the whole {@code whsec_...} secret. Any
 * {@code v1} may match (Stripe's own rotation); the signature is checked before the timestamp,
 * and only timestamps older than the tolerance are refused, as Stripe's library does.
 */
@ApplicationScoped
public class StripeSignatureVerifier implements WebhookVerifier.Synchronous {

    @Override
    public void check(SignedRequest request, List<String> secrets, Duration tolerance, Instant now) {
        byte[] body = request.body();
        String value = request.header().apply("Stripe-Signature");
        if (value == null || value.isBlank()) {
            throw new SignatureRejected(SignatureRejected.Reason.MISSING, "no Stripe-Signature header");
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String item : value.split(",")) {
            int equals = item.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String name = item.substring(0, equals).trim();
            String part = item.substring(equals + 1).trim();
            try {
                if (name.equals("t")) {
                    timestamp = Long.parseLong(part);
                } else if (name.equals("v1")) {
                    signatures.add(HexFormat.of().parseHex(part));
                }
            } catch (IllegalArgumentException unreadable) {
                throw new SignatureRejected(SignatureRejected.Reason.MALFORMED, "unreadable Stripe-Signature header");
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw new SignatureRejected(SignatureRejected.Reason.MALFORMED, "Stripe-Signature lacks t or v1");
        }
        byte[] signedPrefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
        boolean matched = false;
        for (String secret : secrets) {
            byte[] expected = Hmac.sha256(secret.getBytes(StandardCharsets.UTF_8), signedPrefix, body);
            for (byte[] signature : signatures) {
                matched |= Hmac.equalInConstantTime(expected, signature);
            }
        }
        if (!matched) {
            throw new SignatureRejected(SignatureRejected.Reason.MISMATCH, "no v1 signature matches the body");
        }
        if (!tolerance.isZero() && !tolerance.isNegative()
                && Instant.ofEpochSecond(timestamp).isBefore(now.minus(tolerance))) {
            throw new SignatureRejected(SignatureRejected.Reason.STALE, "signed more than " + tolerance.toSeconds()
                    + " s ago");
        }
    }
}
