package io.tributary.oauth.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every secret the tests hand to the service, so the log scan can prove none was written. */
public final class TestSecrets {

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private TestSecrets() {
    }

    public static String remember(String secret) {
        SECRETS.add(secret);
        return secret;
    }

    public static String newSecret(String kind) {
        return remember(kind + "-" + java.util.UUID.randomUUID());
    }

    public static Set<String> all() {
        return Set.copyOf(SECRETS);
    }
}
