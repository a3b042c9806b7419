package io.tributary.oauth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Every secret the tests hand to the service, so the log scan can prove none was written. Kept in
 * a file of this test JVM: Quarkus tests and the plain scan run in different class loaders.
 */
public final class TestSecrets {

    private static final Path FILE = Path.of("target", "test-secrets-" + ProcessHandle.current().pid() + ".txt");

    private TestSecrets() {
    }

    public static synchronized String remember(String secret) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, secret + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return secret;
    }

    public static String newSecret(String kind) {
        return remember(kind + "-" + UUID.randomUUID());
    }

    public static synchronized Set<String> all() {
        try {
            List<String> lines = Files.exists(FILE) ? Files.readAllLines(FILE) : List.of();
            return Set.copyOf(lines.stream().filter(line -> !line.isBlank()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
