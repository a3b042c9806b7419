package io.tributary.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one PostgreSQL of a test JVM, started on first use: {@code TEST_PG_URL} when set, a
 * Testcontainers image when {@code TRIBUTARY_TESTCONTAINERS=true} and Docker runs, otherwise an
 * embedded PostgreSQL 16 on a free port.
 */
public final class TestDatabase {

    private static final Logger LOG = Logger.getLogger(TestDatabase.class);
    private static DatabaseEndpoint endpoint;

    private TestDatabase() {
    }

    public static synchronized DatabaseEndpoint endpoint() {
        if (endpoint == null) {
            endpoint = start();
        }
        return endpoint;
    }

    private static DatabaseEndpoint start() {
        String url = System.getenv("TEST_PG_URL");
        if (url != null && !url.isBlank()) {
            LOG.infof("Tests use the PostgreSQL at TEST_PG_URL (%s)", url);
            return DatabaseEndpoint.fromJdbcUrl(url, envOr("TEST_PG_USER", "postgres"), envOr("TEST_PG_PASSWORD", "postgres"));
        }
        if (TestInfrastructureMode.containersWanted() && DockerClientFactory.instance().isDockerAvailable()) {
            return startContainer();
        }
        return startEmbedded();
    }

    private static DatabaseEndpoint startEmbedded() {
        try {
            // each run gets its own directory: the default /tmp/embedded-pg collides between concurrent builds
            Path workDir = Files.createTempDirectory("tributary-pg-");
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(workDir.toFile())
                    .setCleanDataDirectory(true)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres), "embedded-pg-stop"));
            LOG.infof("Embedded PostgreSQL listening on port %d", postgres.getPort());
            return new DatabaseEndpoint("localhost", postgres.getPort(), "postgres", "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
        }
    }

    @SuppressWarnings("resource") // lives as long as the test JVM; Ryuk removes it
    private static DatabaseEndpoint startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
        container.start();
        return new DatabaseEndpoint(container.getHost(), container.getMappedPort(5432), container.getDatabaseName(),
                container.getUsername(), container.getPassword());
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.debug("Embedded PostgreSQL did not stop cleanly", e);
        }
    }

    static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
