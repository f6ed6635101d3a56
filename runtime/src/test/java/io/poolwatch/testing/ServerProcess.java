package io.poolwatch.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One real server that a test runs as a child process (Alertmanager, PgBouncer, Prometheus): started with its output
 * appended to a log file, waited for by polling a readiness probe within a bound, stopped with SIGTERM and then, past a
 * bound, SIGKILL, and never left running when the JVM exits without {@link #close()} (a shutdown hook). The servers'
 * own helpers write their configuration and say what "ready" means; this class owns the process.
 *
 * <pre>
 * ServerProcess server = new ServerProcess("alertmanager", dir.resolve("alertmanager.log"));
 * server.start(List.of(binary, "--web.listen-address=127.0.0.1:" + port), Duration.ofSeconds(30), () -> answers(port));
 * ...
 * server.close(); // stops it, if it runs
 * </pre>
 */
public final class ServerProcess implements AutoCloseable {

    /** How often readiness is asked while starting. */
    private static final Duration POLL = Duration.ofMillis(50);
    /** How long a stop waits after SIGTERM, and then after SIGKILL. */
    public static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** How much of the log failure messages carry (its end). */
    private static final int LOG_TAIL = 4000;

    private final String name;
    private final Path log;
    private Process process;
    private int starts;
    private final Thread orphanGuard;

    /** A server called {@code name} (in messages and the hook's thread name) whose output goes to {@code log}. */
    public ServerProcess(String name, Path log) {
        this.name = name;
        this.log = log;
        this.orphanGuard = new Thread(this::kill, name + "-test-stop");
        Runtime.getRuntime().addShutdownHook(orphanGuard);
    }

    /**
     * Starts the server unless it runs, and returns once {@code ready} says so.
     *
     * @throws IOException when the process cannot start, exits while starting (the message carries the end of its log),
     *         or is not ready within {@code timeout} (it is stopped then)
     */
    public synchronized void start(List<String> command, Path workingDirectory, Duration timeout, BooleanSupplier ready)
            throws IOException, InterruptedException {
        if (running()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        starts++;
        process = builder.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                process = null;
                throw new IOException(name + " exited at start: " + log());
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s\n" + log());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** {@link #start(List, Path, Duration, BooleanSupplier)} in this JVM's working directory. */
    public void start(List<String> command, Duration timeout, BooleanSupplier ready) throws IOException, InterruptedException {
        start(command, null, timeout, ready);
    }

    /** Whether the process runs now. */
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** How many times it was started. */
    public synchronized int starts() {
        return starts;
    }

    /** The process's id, or -1 when it does not run. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Stops the server: SIGTERM, then SIGKILL after {@link #STOP_WAIT}; a process it started itself is killed too, so no
     * server outlives a wrapper. Nothing when it does not run.
     */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
        process = null;
    }

    private synchronized void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** What the server wrote (the last 4000 characters), for failure messages. */
    public String log() {
        return tail(log);
    }

    /** The last 4000 characters of a log file, for failure messages. */
    public static String tail(Path file) {
        try {
            String s = Files.readString(file);
            return s.length() > LOG_TAIL ? s.substring(s.length() - LOG_TAIL) : s;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server (killing it if interrupted) and removes the hook; never throws for a server already gone. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(orphanGuard);
        } catch (IllegalStateException e) {
            // The JVM is exiting: the hook runs anyway, and finds nothing to stop.
        }
    }

    /** Makes a server: writes its files and chooses its port. */
    @FunctionalInterface
    public interface Maker<S> {
        S make() throws IOException;
    }

    /** Starts a server that was made. */
    @FunctionalInterface
    public interface Starter<S> {
        void start(S server) throws IOException, InterruptedException;
    }

    /**
     * Makes and starts a server, and makes it again when the free port it chose was taken by another process before the
     * server bound it ("address already in use" in the failure), at most three times; never again for a {@code fixedPort}.
     * A server that fails to start is closed before the failure is thrown.
     */
    public static <S extends AutoCloseable> S startOnFreePort(boolean fixedPort, Maker<S> maker, Starter<S> starter)
            throws IOException, InterruptedException {
        for (int attempt = 1;; attempt++) {
            S server = maker.make();
            try {
                starter.start(server);
                return server;
            } catch (IOException e) {
                closeQuietly(server);
                if (fixedPort || attempt == 3 || !String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
            } catch (InterruptedException | RuntimeException | Error e) {
                closeQuietly(server);
                throw e;
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // the failure that made it close is the one to report
        }
    }

    /** A loopback port free now (another process may take it before the server binds it: callers retry). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Whether this JVM runs as root (CI does). */
    public static boolean root() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * {@code command} as the {@code postgres} user when this JVM runs as root (servers that refuse root): through
     * {@code setpriv}, which execs it in place, so the child is the server itself and stopping the child stops it.
     */
    public static List<String> asPostgresWhenRoot(List<String> command) {
        if (!root()) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups"));
        out.addAll(command);
        return out;
    }

    /** Deletes a directory and everything in it; a directory that is not there is no error. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
