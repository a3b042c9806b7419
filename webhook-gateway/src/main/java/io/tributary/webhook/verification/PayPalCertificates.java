package io.tributary.webhook.verification;

import io.smallrye.mutiny.Uni;
import io.tributary.kit.problem.ProblemException;
import io.tributary.kit.problem.ProblemType;
import io.tributary.webhook.config.WebhookConfig;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * PayPal's signing certificates by URL. The URL comes from a request header, so anyone can name
 * one: only PayPal's own hosts (configured) are ever asked, over HTTPS, and nothing is requested
 * for any other URL. Fetched certificates are cached; one outside its validity is refused.
 */
@ApplicationScoped
public class PayPalCertificates {

    /** A PEM certificate is ~2 KiB; a larger answer is not one. */
    private static final int MAX_CERTIFICATE_BYTES = 64 * 1024;

    private record Cached(X509Certificate certificate, Instant fetchedAt) {
    }

    private final WebhookConfig.PayPal config;
    private final Set<String> hosts;
    private final WebClient client;
    private final Map<String, Cached> certificates = new ConcurrentHashMap<>();

    public PayPalCertificates(WebhookConfig config, Vertx vertx) {
        this.config = config.paypal();
        this.hosts = this.config.certificateHosts().stream().map(host -> host.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(3_000).setFollowRedirects(false));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public Uni<X509Certificate> certificate(String url, Instant now) {
        URI uri = trusted(url);
        Cached cached = certificates.get(uri.toString());
        if (cached != null && cached.fetchedAt().plus(config.certificateCacheLifetime()).isAfter(now)) {
            return Uni.createFrom().item(valid(cached.certificate(), now));
        }
        return fetch(uri).invoke(certificate -> certificates.put(uri.toString(), new Cached(certificate, now)))
                .map(certificate -> valid(certificate, now));
    }

    /** The URL, when it names one of PayPal's hosts; refused before any request otherwise. */
    URI trusted(String url) {
        URI uri;
        try {
            uri = new URI(url).normalize();
        } catch (Exception e) {
            throw new SignatureRejected(SignatureRejected.Reason.MALFORMED, "PAYPAL-CERT-URL is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("https") && (uri.getPort() == -1 || uri.getPort() == 443);
        boolean allowedScheme = secure || (!config.requireHttps() && scheme.equals("http"));
        if (!allowedScheme || !hosts.contains(host) || uri.getUserInfo() != null) {
            throw new SignatureRejected(SignatureRejected.Reason.MISMATCH, "PAYPAL-CERT-URL is not on a PayPal host");
        }
        return uri;
    }

    private Uni<X509Certificate> fetch(URI uri) {
        return client.getAbs(uri.toString()).timeout(5_000).send()
                // PayPal unreachable: not proof of forgery, so the delivery is refused as retryable
                .onFailure().transform(e -> new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                        "PayPal's signing certificate cannot be fetched right now"))
                .map(response -> {
                    if (response.statusCode() >= 500) {
                        throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                                "PayPal's signing certificate cannot be fetched right now");
                    }
                    if (response.statusCode() != 200 || response.body() == null
                            || response.body().length() > MAX_CERTIFICATE_BYTES) {
                        throw new SignatureRejected(SignatureRejected.Reason.MISMATCH,
                                "PayPal serves no certificate at that URL");
                    }
                    return parse(response.body().getBytes());
                });
    }

    private static X509Certificate parse(byte[] pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
        } catch (CertificateException | ClassCastException e) {
            throw new SignatureRejected(SignatureRejected.Reason.MALFORMED, "PayPal's certificate is unreadable");
        }
    }

    private static X509Certificate valid(X509Certificate certificate, Instant now) {
        try {
            certificate.checkValidity(Date.from(now));
            return certificate;
        } catch (CertificateException e) {
            throw new SignatureRejected(SignatureRejected.Reason.STALE, "PayPal's certificate is outside its validity");
        }
    }
}
