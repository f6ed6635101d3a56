package io.poolwatch.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged poolwatch jar run as a separate process, as an operator runs it. */
public final class PoolwatchProcess implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("started in (\\d+\\.\\d+)s");

    private final Process process;
    private final Path log;
    private final int port;

    private PoolwatchProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the jar with {@code env} as its seed environment (the test JVM's DATABASE_URL and DB_* are removed)
     * and {@code properties} as system properties.
     */
    public static PoolwatchProcess start(Map<String, String> env, Map<String, String> properties) throws IOException {
        String jar = System.getProperty("poolwatch.jar", "target/quarkus-app/quarkus-run.jar");
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=127.0.0.1");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar);
        Path log = Files.createTempFile("poolwatch-it", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DB_") || k.startsWith("DATABASE_") || k.startsWith("POOLWATCH_"));
        pb.environment().putAll(env);
        return new PoolwatchProcess(pb.start(), log, port);
    }

    /**
     * Starts the jar as {@link #start(Map, Map)} does and waits until it has started; a process that did not start within
     * {@code timeout} is stopped, and the failure carries its output.
     */
    public static PoolwatchProcess started(Map<String, String> env, Map<String, String> properties, Duration timeout)
            throws IOException, InterruptedException {
        PoolwatchProcess app = start(env, properties);
        try {
            app.startedWithin(timeout);
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            app.close();
            throw e;
        }
        return app;
    }

    /** Waits until the log says Quarkus started, and returns the start-up seconds it logged; fails with the output else. */
    public double startedWithin(Duration timeout) throws IOException, InterruptedException {
        return awaitStarted(timeout)
                .orElseThrow(() -> new AssertionError("not started within " + timeout + ":\n" + outputTail()));
    }

    /** Waits until the log says Quarkus started; empty if the process ended first or the time ran out. */
    public Optional<Double> awaitStarted(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = STARTED.matcher(output());
            if (m.find()) {
                return Optional.of(Double.parseDouble(m.group(1)));
            }
            if (!process.isAlive()) {
                return Optional.empty();
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    /** Sends SIGTERM and waits for the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("poolwatch did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    /** Kills the process at once (SIGKILL), as a crash or an evicted pod: no shutdown hook runs, nothing is released. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("poolwatch did not die within 10s of SIGKILL");
        }
    }

    /** Waits for the process to end by itself. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("poolwatch did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** Resident memory of the process in KiB, from /proc. */
    public long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /**
     * The working directory of the PostgreSQL server listening on {@code port} (its data directory), from /proc: the
     * embedded server is started through pg_ctl, so it is not this process's child.
     */
    public static Optional<Path> postgresDataDirectory(int port) {
        String portText = Integer.toString(port);
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.UTF_8);
                List<String> args = List.of(cmdline.split("\u0000"));
                return !args.isEmpty() && Path.of(args.get(0)).getFileName().toString().equals("postgres")
                        && args.indexOf("-p") >= 0 && args.indexOf("-p") + 1 < args.size()
                        && args.get(args.indexOf("-p") + 1).equals(portText);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }).findFirst().flatMap(p -> {
            try {
                return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    public String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** The end of what the process wrote (its last 4000 characters), for failure messages; never throws. */
    public String outputTail() {
        try {
            String out = output();
            return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
