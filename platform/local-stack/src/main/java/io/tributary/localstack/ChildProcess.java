package io.tributary.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A JVM the local stack starts, with its output in a log file, and stops gracefully, then firmly. */
final class ChildProcess {

    private final Process process;

    private ChildProcess(Process process) {
        this.process = process;
    }

    static ChildProcess startJava(List<String> jvmArgs, String classpath, String mainClass, List<String> args,
            Map<String, String> environment, Path log) throws IOException {
        List<String> javaArgs = new java.util.ArrayList<>(jvmArgs);
        javaArgs.add("-cp");
        javaArgs.add(classpath);
        javaArgs.add(mainClass);
        javaArgs.addAll(args);
        return start(javaArgs, environment, log);
    }

    static ChildProcess startJavaJar(List<String> jvmArgs, Path jar, Map<String, String> environment, Path log)
            throws IOException {
        List<String> args = new java.util.ArrayList<>(jvmArgs);
        args.add("-jar");
        args.add(jar.toString());
        return start(args, environment, log);
    }

    private static ChildProcess start(List<String> javaArgs, Map<String, String> environment, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return new ChildProcess(builder.start());
    }

    /** Runs a JVM to completion, failing when it exits with an error. */
    static void runJava(String classpath, String mainClass, List<String> args, Path log) throws Exception {
        ChildProcess child = startJava(List.of("-Xmx256m"), classpath, mainClass, args, Map.of(), log);
        if (!child.process.waitFor(2, TimeUnit.MINUTES) || child.process.exitValue() != 0) {
            child.stop();
            throw new IllegalStateException(mainClass + " failed; see " + log);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void stop() {
        stop(ProcessHandle.of(process.pid()).orElse(null));
    }

    /** SIGTERM, up to 20 s for a clean shutdown, then SIGKILL. */
    static void stop(ProcessHandle handle) {
        if (handle == null || !handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception timedOut) {
            handle.destroyForcibly();
        }
    }
}
