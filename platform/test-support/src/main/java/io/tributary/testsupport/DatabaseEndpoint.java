package io.tributary.testsupport;

import java.util.Map;

/** Where the tests' PostgreSQL listens, as JDBC and reactive-client URLs. */
public record DatabaseEndpoint(String host, int port, String database, String username, String password) {

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** Quarkus configuration that points the default datasource here. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.reactive.url", reactiveUrl(),
                "quarkus.datasource.username", username,
                "quarkus.datasource.password", password,
                "quarkus.datasource.devservices.enabled", "false");
    }

    /** Parses {@code jdbc:postgresql://host:port/db} as given in {@code TEST_PG_URL}. */
    static DatabaseEndpoint fromJdbcUrl(String jdbcUrl, String username, String password) {
        String rest = jdbcUrl.replaceFirst("^jdbc:", "").replaceFirst("^postgresql://", "");
        String hostPort = rest.substring(0, rest.indexOf('/'));
        String database = rest.substring(rest.indexOf('/') + 1).replaceFirst("\\?.*$", "");
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        int port = colon < 0 ? 5432 : Integer.parseInt(hostPort.substring(colon + 1));
        return new DatabaseEndpoint(host, port, database, username, password);
    }
}
