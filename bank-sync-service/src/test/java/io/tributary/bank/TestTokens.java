package io.tributary.bank;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;

import java.util.Set;

/** Signed bearer tokens, as the identity provider would issue them; the subject is the user id. */
public final class TestTokens {

    private TestTokens() {
    }

    public static String user(String subject) {
        return OidcWiremockTestResource.generateJwtToken(subject, Set.of("user"), subject);
    }

    public static String admin(String subject) {
        return OidcWiremockTestResource.generateJwtToken(subject, Set.of("user", "admin"), subject);
    }
}
