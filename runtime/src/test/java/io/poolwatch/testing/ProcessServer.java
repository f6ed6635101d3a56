package io.poolwatch.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real server a test runs as a child process, in a temporary directory of its own and on a loopback port of its own
 * (Alertmanager, PgBouncer, Prometheus): the port, the process ({@link ServerProcess}) and the directory, which
 * {@link #close()} deletes. Each server writes its own configuration and says how it starts and when it is ready.
 */
public abstract class ProcessServer implements AutoCloseable {

    protected final int port;
    protected final Path dir;
    protected final ServerProcess process;

    /**
     * @param name the server's name in messages
     * @param fixedPort a port chosen by the test, or 0 for a free one
     * @param dir its directory, made by the caller (with the permissions the server wants)
     * @param log the file in {@code dir} its process's output goes to
     */
    protected ProcessServer(String name, int fixedPort, Path dir, String log) throws IOException {
        this.port = fixedPort > 0 ? fixedPort : ServerProcess.freePort();
        this.dir = dir;
        this.process = new ServerProcess(name, dir.resolve(log));
    }

    public int port() {
        return port;
    }

    /** Whether the server runs now. */
    public boolean running() {
        return process.running();
    }

    /** How many times it was started: a watcher can tell a restarted server from the one before. */
    public int starts() {
        return process.starts();
    }

    /** The server's process id while it runs, else -1. */
    public long pid() {
        return process.pid();
    }

    /** Stops the server (its files stay, so it can start again); nothing when stopped. */
    public void stop() throws InterruptedException {
        process.stop();
    }

    /** What the server wrote (the last 4000 characters), for failure messages. */
    public String log() {
        return process.log();
    }

    /** Stops the server and deletes its directory; never throws for a server already gone. */
    @Override
    public synchronized void close() {
        process.close();
        try {
            ServerProcess.deleteTree(dir);
        } catch (IOException e) {
            // A temporary directory left behind is no failure of the test.
        }
    }

    /** Whether a GET of {@code uri} answers 200 within 2 s: the ready probe of servers with an HTTP API. */
    protected static boolean answers200(HttpClient http, URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
