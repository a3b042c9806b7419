package io.tributary.localstack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the local stack keeps its files and which ports it uses; each can be set from the environment. */
record StackSettings(Path root, Path stackDir, int postgresPort, int kafkaPort, int kafkaControllerPort, int oidcPort) {

    static StackSettings fromEnvironment() {
        Path root = Path.of(System.getProperty("tributary.root", ".")).toAbsolutePath().normalize();
        Path stackDir = Path.of(env("TRIBUTARY_STACK_DIR", root.resolve(".local-stack").toString())).toAbsolutePath();
        return new StackSettings(root, stackDir,
                port("TRIBUTARY_PG_PORT", 15432),
                port("TRIBUTARY_KAFKA_PORT", 19092),
                port("TRIBUTARY_KAFKA_CONTROLLER_PORT", 19093),
                port("TRIBUTARY_OIDC_PORT", 18080));
    }

    Path logs() {
        return stackDir.resolve("logs");
    }

    Path stateFile() {
        return stackDir.resolve("stack.properties");
    }

    /** A classpath that Maven wrote for one of the separate runtimes (see runtimes/). */
    String runtimeClasspath(String runtime) {
        Path file = root.resolve("platform/local-stack/runtimes/" + runtime + "/target/classpath.txt");
        try {
            return Files.readString(file).trim();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Missing " + file + ": build first with ./mvnw install -DskipTests", e);
        }
    }

    private static int port(String name, int fallback) {
        return Integer.parseInt(env(name, String.valueOf(fallback)));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
