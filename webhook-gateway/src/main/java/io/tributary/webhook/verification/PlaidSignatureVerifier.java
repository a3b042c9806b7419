package io.tributary.webhook.verification;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.lang.JoseException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Plaid: {@code Plaid-Verification} is a JWT signed with ES256 only (anything else, {@code none}
 * or HS256 included, is refused before a key is looked up), keyed by {@code kid}; its {@code iat}
 * may be at most 5 minutes old and its {@code request_body_sha256} must be the SHA-256 of the raw body.
 */
@ApplicationScoped
public class PlaidSignatureVerifier implements WebhookVerifier {

    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final PlaidVerificationKeys keys;

    public PlaidSignatureVerifier(PlaidVerificationKeys keys) {
        this.keys = keys;
    }

    @Override
    public Uni<Void> verify(SignedRequest request, List<String> secrets, Duration tolerance, Instant now) {
        String jwt = request.header().apply("Plaid-Verification");
        if (jwt == null || jwt.isBlank()) {
            return reject(SignatureRejected.Reason.MISSING, "no Plaid-Verification header");
        }
        String[] parts = jwt.trim().split("\\.");
        JsonObject header;
        try {
            header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return reject(SignatureRejected.Reason.MALFORMED, "Plaid-Verification is not a JWT");
        }
        if (parts.length != 3 || !AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256.equals(header.getString("alg"))) {
            return reject(SignatureRejected.Reason.MALFORMED, "Plaid-Verification must be signed with ES256");
        }
        String kid = header.getString("kid");
        if (kid == null || kid.isBlank() || kid.length() > 200) {
            return reject(SignatureRejected.Reason.MALFORMED, "Plaid-Verification names no key");
        }
        return keys.key(kid).invoke(key -> checkSignatureAndClaims(jwt.trim(), key, request.body(), now)).replaceWithVoid();
    }

    private static void checkSignatureAndClaims(String jwt, JsonWebKey key, byte[] body, Instant now) {
        JsonObject claims;
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                    AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
            jws.setCompactSerialization(jwt);
            jws.setKey(key.getKey());
            if (!jws.verifySignature()) {
                throw new SignatureRejected(SignatureRejected.Reason.MISMATCH, "Plaid-Verification signature is wrong");
            }
            claims = new JsonObject(jws.getPayload());
        } catch (JoseException | RuntimeException e) {
            if (e instanceof SignatureRejected rejected) {
                throw rejected;
            }
            throw new SignatureRejected(SignatureRejected.Reason.MALFORMED, "Plaid-Verification cannot be read");
        }
        Long issuedAt = claims.getLong("iat");
        if (issuedAt == null || Instant.ofEpochSecond(issuedAt).isBefore(now.minus(MAX_AGE))) {
            throw new SignatureRejected(SignatureRejected.Reason.STALE, "Plaid-Verification is older than 5 minutes");
        }
        String claimed = claims.getString("request_body_sha256", "");
        if (!MessageDigest.isEqual(claimed.getBytes(StandardCharsets.US_ASCII),
                sha256Hex(body).getBytes(StandardCharsets.US_ASCII))) {
            throw new SignatureRejected(SignatureRejected.Reason.MISMATCH, "the body is not the one Plaid signed");
        }
    }

    /** Plaid webhooks carry no event id: the body's hash dedupes; the item is the account. */
    @Override
    public EventDescription describe(SignedRequest request, JsonNode payload) {
        String type = WebhookVerifier.text(payload, "webhook_type") + "." + WebhookVerifier.text(payload, "webhook_code");
        return new EventDescription(null, type, WebhookVerifier.text(payload, "item_id"), false);
    }

    private static Uni<Void> reject(SignatureRejected.Reason reason, String message) {
        return Uni.createFrom().failure(new SignatureRejected(reason, message));
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
