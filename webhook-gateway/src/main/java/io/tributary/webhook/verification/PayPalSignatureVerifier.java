package io.tributary.webhook.verification;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;

/**
 * PayPal, verified offline: {@code PAYPAL-TRANSMISSION-SIG} is SHA256withRSA over
 * {@code <transmission id>|<transmission time>|<webhook id>|<crc32 of the raw body, unsigned decimal>},
 * checked with the certificate {@code PAYPAL-CERT-URL} names (fetched only from PayPal's hosts).
 * The "secrets" of this scheme are the webhook ids PayPal gave our endpoints (two during a move).
 */
@ApplicationScoped
public class PayPalSignatureVerifier implements WebhookVerifier {

    private static final String ALGORITHM = "SHA256withRSA";

    private final PayPalCertificates certificates;

    public PayPalSignatureVerifier(PayPalCertificates certificates) {
        this.certificates = certificates;
    }

    @Override
    public Uni<Void> verify(SignedRequest request, List<String> webhookIds, Duration tolerance, Instant now) {
        String id = request.header().apply("PAYPAL-TRANSMISSION-ID");
        String time = request.header().apply("PAYPAL-TRANSMISSION-TIME");
        String signature = request.header().apply("PAYPAL-TRANSMISSION-SIG");
        String certUrl = request.header().apply("PAYPAL-CERT-URL");
        String algorithm = request.header().apply("PAYPAL-AUTH-ALGO");
        if (id == null || time == null || signature == null || certUrl == null || algorithm == null) {
            return Uni.createFrom().failure(new SignatureRejected(SignatureRejected.Reason.MISSING,
                    "PayPal transmission headers are missing"));
        }
        byte[] signatureBytes;
        Instant sentAt;
        try {
            if (!ALGORITHM.equalsIgnoreCase(algorithm.trim())) {
                throw new SignatureRejected(SignatureRejected.Reason.MALFORMED, "PAYPAL-AUTH-ALGO is not " + ALGORITHM);
            }
            signatureBytes = Base64.getDecoder().decode(signature.trim());
            sentAt = OffsetDateTime.parse(time.trim()).toInstant();
            certificates.trusted(certUrl.trim());
        } catch (SignatureRejected rejected) {
            return Uni.createFrom().failure(rejected);
        } catch (RuntimeException unreadable) {
            return Uni.createFrom().failure(new SignatureRejected(SignatureRejected.Reason.MALFORMED,
                    "unreadable PayPal transmission headers"));
        }
        return certificates.certificate(certUrl.trim(), now).invoke(certificate -> {
            boolean matched = false;
            for (String webhookId : webhookIds) {
                matched |= verifies(certificate, signedMessage(id, time, webhookId, request.body()), signatureBytes);
            }
            if (!matched) {
                throw new SignatureRejected(SignatureRejected.Reason.MISMATCH, "PAYPAL-TRANSMISSION-SIG does not verify");
            }
            if (sentAt.isBefore(now.minus(tolerance)) || sentAt.isAfter(now.plus(tolerance))) {
                throw new SignatureRejected(SignatureRejected.Reason.STALE, "transmitted more than "
                        + tolerance.toSeconds() + " s from now");
            }
        }).replaceWithVoid();
    }

    /** The string PayPal signs; the CRC32 is written as an unsigned decimal. */
    public static String signedMessage(String transmissionId, String transmissionTime, String webhookId, byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return transmissionId + "|" + transmissionTime + "|" + webhookId + "|" + crc.getValue();
    }

    private static boolean verifies(X509Certificate certificate, String message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(message.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** PayPal names its events {@code id} and {@code event_type}. */
    @Override
    public EventDescription describe(SignedRequest request, JsonNode payload) {
        return new EventDescription(WebhookVerifier.text(payload, "id"), WebhookVerifier.text(payload, "event_type"),
                null, false);
    }
}
