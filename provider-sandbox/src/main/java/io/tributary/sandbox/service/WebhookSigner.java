package io.tributary.sandbox.service;

import io.tributary.sandbox.config.SandboxConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Signs webhook bodies exactly as each provider does (shared/providers.md section 3): Stripe's
 * {@code t=…,v1=hex(HMAC(secret, t.body))}, Plaid's ES256 JWT over the body's SHA-256 with a key
 * served by {@code /webhook_verification_key/get}, and base64 HMAC-SHA256 of the raw body for
 * QuickBooks ({@code intuit-signature}) and Xero ({@code x-xero-signature}).
 */
@ApplicationScoped
public class WebhookSigner {

    private final SandboxConfig.Webhooks config;
    private final EllipticCurveJsonWebKey plaidKey;
    private final Instant plaidKeyCreated = Instant.now();
    private final PayPalCertificate paypal;
    private final String paypalCertUrl;

    public WebhookSigner(SandboxConfig config) throws JoseException {
        this.config = config.webhooks();
        this.paypal = PayPalCertificate.generate();
        this.paypalCertUrl = config.publicUrl().replaceAll("/+$", "") + "/paypal/v1/notifications/certs/"
                + paypal.id();
        this.plaidKey = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        plaidKey.setKeyId(UUID.randomUUID().toString());
        plaidKey.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        plaidKey.setUse("sig");
    }

    /** The headers that sign {@code body} for {@code provider}. */
    public Map<String, String> sign(String provider, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (provider) {
            case "stripe" -> {
                long t = Instant.now().getEpochSecond();
                String secret = first(config.stripeSecret());
                byte[] signed = concat((t + ".").getBytes(StandardCharsets.UTF_8), body);
                headers.put("Stripe-Signature", "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, signed)));
            }
            case "plaid" -> headers.put("Plaid-Verification", plaidJwt(body));
            case "quickbooks" -> headers.put("intuit-signature",
                    Base64.getEncoder().encodeToString(hmac(first(config.quickbooksVerifierToken()), body)));
            case "xero" -> headers.put("x-xero-signature",
                    Base64.getEncoder().encodeToString(hmac(first(config.xeroKey()), body)));
            case "paypal" -> {
                // PayPal: SHA256withRSA over id|time|webhook id|crc32(body), the certificate at a URL
                String id = UUID.randomUUID().toString();
                String time = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(body);
                String message = id + "|" + time + "|" + first(config.paypalWebhookId()) + "|" + crc.getValue();
                headers.put("PAYPAL-TRANSMISSION-ID", id);
                headers.put("PAYPAL-TRANSMISSION-TIME", time);
                headers.put("PAYPAL-TRANSMISSION-SIG", Base64.getEncoder().encodeToString(
                        paypal.sign(message.getBytes(StandardCharsets.UTF_8))));
                headers.put("PAYPAL-CERT-URL", paypalCertUrl);
                headers.put("PAYPAL-AUTH-ALGO", "SHA256withRSA");
            }
            default -> throw new IllegalArgumentException("The sandbox does not sign " + provider + " webhooks");
        }
        return headers;
    }

    /** The PEM certificate PayPal's signed webhooks name, or null for another id. */
    public String paypalCertificate(String certId) {
        return paypal.id().equals(certId) ? paypal.pem() : null;
    }

    /** The public key, as {@code /webhook_verification_key/get} answers it; empty for another id. */
    public Map<String, Object> plaidVerificationKey(String keyId) {
        if (!plaidKey.getKeyId().equals(keyId)) {
            return null;
        }
        Map<String, Object> key = new LinkedHashMap<>(plaidKey.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        key.put("created_at", plaidKeyCreated.getEpochSecond());
        key.put("expired_at", null);
        return key;
    }

    private String plaidJwt(byte[] body) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuedAtToNow();
            claims.setStringClaim("request_body_sha256",
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(plaidKey.getPrivateKey());
            jws.setKeyIdHeaderValue(plaidKey.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            jws.setHeader("typ", "JWT");
            return jws.getCompactSerialization();
        } catch (JoseException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a Plaid webhook", e);
        }
    }

    /** The services may hold two secrets during a rotation (comma-separated); the provider signs with one. */
    private static String first(String secrets) {
        return secrets.split(",")[0].trim();
    }

    private static byte[] hmac(String key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
