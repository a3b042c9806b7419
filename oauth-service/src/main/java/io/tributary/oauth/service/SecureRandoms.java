package io.tributary.oauth.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Unguessable values for OAuth: state, PKCE verifier and challenge. */
final class SecureRandoms {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private SecureRandoms() {
    }

    /** 256 random bits, URL-safe. */
    static String state() {
        return randomUrlSafe(32);
    }

    /** RFC 7636: 43-128 characters from the unreserved set; 64 random bytes give 86. */
    static String codeVerifier() {
        return randomUrlSafe(64);
    }

    static String codeChallenge(String verifier) {
        return URL_SAFE.encodeToString(sha256(verifier));
    }

    /** States are stored as this hash: a database dump gives no usable state. */
    static String hash(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }

    private static String randomUrlSafe(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return URL_SAFE.encodeToString(random);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
