package io.tributary.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a running stack left on disk for {@code down} and {@code status}: the launcher's pid, its
 * child processes' pids and PostgreSQL's data directory, so that even a stack whose launcher was
 * killed can be cleaned up.
 */
record StackState(long launcherPid, List<Long> childPids, Path postgresData) {

    void write(Path file) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("launcher.pid", String.valueOf(launcherPid));
        properties.setProperty("child.pids", String.join(",", childPids.stream().map(String::valueOf).toList()));
        properties.setProperty("postgres.data", postgresData.toString());
        Files.createDirectories(file.getParent());
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "Tributary local stack; removed when it stops");
        }
    }

    static Optional<StackState> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        List<Long> children = new ArrayList<>();
        for (String pid : properties.getProperty("child.pids", "").split(",")) {
            if (!pid.isBlank()) {
                children.add(Long.parseLong(pid.trim()));
            }
        }
        return Optional.of(new StackState(Long.parseLong(properties.getProperty("launcher.pid")), children,
                Path.of(properties.getProperty("postgres.data"))));
    }
}
