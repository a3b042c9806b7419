package io.tributary.sandbox.service;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random tokens and ids in the shapes the providers use. */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    public static String opaque(String prefix, int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    public static String hex(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }

    /** A PayPal payer id: 13 upper-case letters and digits. */
    public static String payerId() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder id = new StringBuilder();
        while (id.length() < 13) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    public static String digits(int count) {
        StringBuilder digits = new StringBuilder().append(1 + RANDOM.nextInt(9));
        while (digits.length() < count) {
            digits.append(RANDOM.nextInt(10));
        }
        return digits.toString();
    }
}
