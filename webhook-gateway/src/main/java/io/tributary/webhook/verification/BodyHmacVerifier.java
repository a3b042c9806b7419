package io.tributary.webhook.verification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Schemes whose header is base64(HMAC-SHA256(secret, raw body)) and carry no timestamp:
 * QuickBooks ({@code intuit-signature}, keyed with the verifier token) and Xero
 * ({@code x-xero-signature}, keyed with the webhook signing key). Replays are caught by the event
 * id, as these schemes give nothing else to check.
 */
public abstract class BodyHmacVerifier implements WebhookVerifier.Synchronous {

    private final String headerName;

    protected BodyHmacVerifier(String headerName) {
        this.headerName = headerName;
    }

    @Override
    public void check(SignedRequest request, List<String> secrets, Duration tolerance, Instant now) {
        byte[] body = request.body();
        String value = request.header().apply(headerName);
        if (value == null || value.isBlank()) {
            throw new SignatureRejected(SignatureRejected.Reason.MISSING, "no " + headerName + " header");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new SignatureRejected(SignatureRejected.Reason.MALFORMED, headerName + " is not base64");
        }
        boolean matched = false;
        for (String secret : secrets) {
            matched |= Hmac.equalInConstantTime(Hmac.sha256(secret.getBytes(StandardCharsets.UTF_8), body), signature);
        }
        if (!matched) {
            throw new SignatureRejected(SignatureRejected.Reason.MISMATCH, headerName + " does not match the body");
        }
    }
}
