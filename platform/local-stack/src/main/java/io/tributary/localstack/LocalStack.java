package io.tributary.localstack;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the suite on one machine with only a JDK: its infrastructure, then its services.
 * <ul>
 *   <li>{@code up}: starts PostgreSQL, Kafka and an OIDC server, waits until each answers, prints
 *       where they are, and runs until Ctrl-C or {@code down}, then stops them all;</li>
 *   <li>{@code down}: stops a stack started from this checkout, from another terminal;</li>
 *   <li>{@code status}: tells whether one runs;</li>
 *   <li>{@code demo}: runs the demo scenario against the running stack; exit code 1 if a step fails;</li>
 *   <li>{@code keyset}: prints a new vault keyset, for {@code VAULT_KEYSET} with Docker Compose.</li>
 * </ul>
 */
public final class LocalStack {

    static final String READY_LINE = "Tributary local stack is up";

    private final StackSettings settings;
    private final List<StackComponent> started = new ArrayList<>();

    private LocalStack(StackSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // the admin client warns on every refused connection while the broker boots
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        StackSettings settings = StackSettings.fromEnvironment();
        String command = args.length == 0 ? "up" : args[0];
        int exit = switch (command) {
            case "up" -> new LocalStack(settings).up();
            case "down" -> down(settings);
            case "status" -> status(settings);
            case "demo" -> new Demo(settings).run();
            case "keyset" -> {
                System.out.println(VaultKeyset.generate()); // for VAULT_KEYSET with docker compose
                yield 0;
            }
            default -> {
                System.err.println("Usage: local-stack [up|down|status|demo|keyset]");
                yield 2;
            }
        };
        if (exit != 0 || !command.equals("up")) {
            System.exit(exit);
        }
    }

    private int up() throws Exception {
        Optional<StackState> existing = StackState.read(settings.stateFile());
        if (existing.isPresent() && ProcessHandle.of(existing.get().launcherPid()).map(ProcessHandle::isAlive).orElse(false)) {
            System.err.println("A local stack already runs (pid " + existing.get().launcherPid() + "); stop it with: ./local-stack down");
            return 1;
        }
        Files.createDirectories(settings.logs());
        Instant begin = Instant.now();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "local-stack-stop"));
        PostgresComponent postgres = new PostgresComponent(settings);
        OidcComponent oidc = new OidcComponent(settings);
        List<StackComponent> components = new ArrayList<>(List.of(postgres, new KafkaComponent(settings), oidc));
        ServiceComponent.SERVICES.forEach(service -> components.add(new ServiceComponent(service, settings, oidc.issuer())));
        try {
            for (StackComponent component : components) {
                Instant componentBegin = Instant.now();
                System.out.printf("Starting %s ...%n", component.name());
                component.start();
                started.add(component);
                System.out.printf("  %s ready in %.1f s%n", component.name(), seconds(componentBegin));
                writeState(postgres);
            }
        } catch (Exception e) {
            System.err.println("The local stack could not start: " + e.getMessage());
            return 1; // the shutdown hook stops what did start
        }
        printSummary(seconds(begin));
        new CountDownLatch(1).await(); // until Ctrl-C or `down` ends the JVM and its shutdown hook runs
        return 0;
    }

    private void writeState(PostgresComponent postgres) throws Exception {
        List<Long> children = started.stream().map(StackComponent::pid).flatMap(Optional::stream).toList();
        new StackState(ProcessHandle.current().pid(), children, postgres.dataDirectory()).write(settings.stateFile());
    }

    private void printSummary(double seconds) {
        System.out.println();
        System.out.printf("%s (started in %.1f s)%n", READY_LINE, seconds);
        for (StackComponent component : started) {
            System.out.printf("  %-20s %s%n", component.name(), component.endpoint());
        }
        System.out.printf("  %-20s %s%n", "Logs", settings.logs());
        System.out.println("Stop with Ctrl-C, or from another terminal: ./local-stack down");
        System.out.flush();
    }

    /** Stops in reverse order of start; runs in the shutdown hook, so Ctrl-C and SIGTERM both land here. */
    private synchronized void stopAll() {
        if (started.isEmpty()) {
            return;
        }
        System.out.println("Stopping the local stack ...");
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop();
        }
        started.clear();
        try {
            Files.deleteIfExists(settings.stateFile());
        } catch (Exception e) {
            System.err.println("Could not remove " + settings.stateFile() + ": " + e.getMessage());
        }
        System.out.println("Local stack stopped.");
    }

    private static int down(StackSettings settings) throws Exception {
        Optional<StackState> state = StackState.read(settings.stateFile());
        if (state.isEmpty()) {
            System.out.println("No local stack runs from " + settings.stackDir());
            return 0;
        }
        // the launcher stops its children itself; anything it left (it may have been killed) goes next
        ProcessHandle.of(state.get().launcherPid()).ifPresent(ChildProcess::stop);
        state.get().childPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ChildProcess::stop));
        PostgresComponent.postmasterPid(state.get().postgresData())
                .flatMap(ProcessHandle::of)
                .ifPresent(LocalStack::stopPostgres);
        Files.deleteIfExists(settings.stateFile());
        System.out.println("Local stack stopped.");
        return 0;
    }

    /** SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client to leave. */
    private static void stopPostgres(ProcessHandle postmaster) {
        try {
            new ProcessBuilder("kill", "-INT", String.valueOf(postmaster.pid())).start().waitFor(5, TimeUnit.SECONDS);
            postmaster.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            postmaster.destroyForcibly();
        }
    }

    private static int status(StackSettings settings) throws Exception {
        Optional<StackState> state = StackState.read(settings.stateFile());
        boolean running = state.isPresent()
                && ProcessHandle.of(state.get().launcherPid()).map(ProcessHandle::isAlive).orElse(false);
        System.out.println(running ? "Local stack runs (launcher pid " + state.get().launcherPid() + ")" : "No local stack runs");
        return running ? 0 : 3;
    }

    private static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }
}
