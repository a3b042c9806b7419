package io.tributary.testsupport;

/** Whether the tests may use container images instead of in-JVM infrastructure. */
final class TestInfrastructureMode {

    private TestInfrastructureMode() {
    }

    /** Opt-in: containers are slower to start than the embedded parts, and most machines here have no engine. */
    static boolean containersWanted() {
        return Boolean.parseBoolean(TestDatabase.envOr("TRIBUTARY_TESTCONTAINERS", "false"));
    }
}
