package io.tributary.sandbox.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The credentials in an {@code Authorization} header, as the providers' APIs read them. */
final class Authorization {

    private Authorization() {
    }

    /** The token of {@code Bearer <token>}; null when the header is absent or another scheme. */
    static String bearer(String header) {
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }

    /** The user part of {@code Basic base64(user:password)}; null when absent or malformed. */
    static String basicUser(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
