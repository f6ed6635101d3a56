package io.poolwatch.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Alertmanager (Debian's {@code /usr/bin/prometheus-alertmanager}, which {@code .ci/run} installs), started by a
 * test on a free loopback port with a generated configuration, and stopped by {@link #close()}.
 * <p>
 * Its {@code alertmanager.yml} routes every alert to one webhook receiver (a {@link WebhookHook}, usually) with short
 * {@code group_wait}, {@code group_interval} and {@code send_resolved: true}; its {@code --storage.path} is a temporary
 * directory of its own, and gossip is off ({@code --cluster.listen-address=} empty), so it binds nothing but its web port
 * on 127.0.0.1. It runs as a child of this JVM; {@link #stop()} and {@link #start()} stop and start it again on the same
 * port, with its storage kept or wiped ({@link #wipeStorage()}); readiness is awaited by polling {@code /-/ready}.
 *
 * <pre>
 * try (WebhookHook hook = WebhookHook.start();
 *         AlertmanagerServer am = AlertmanagerServer.builder().webhook(hook.url()).start()) {
 *     am.baseUrl(); // http://127.0.0.1:PORT, the form poolwatch's Alertmanager receiver takes
 *     am.alerts(); // GET /api/v2/alerts: the active alerts, as Alertmanager lists them
 *     am.stop();
 *     am.wipeStorage();
 *     am.start(); // down for a while, then up again empty on the same port
 * }
 * </pre>
 */
public final class AlertmanagerServer extends ProcessServer {

    /** Debian's Alertmanager. */
    public static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to generate; every setting has a default. */
    public static final class Builder {
        private URI webhook = URI.create("http://127.0.0.1:1/nowhere");
        private Duration groupWait = Duration.ofMillis(100);
        private Duration groupInterval = Duration.ofMillis(500);
        private Duration repeatInterval = Duration.ofHours(1);
        private int port;

        private Builder() {
        }

        /** Where Alertmanager notifies (its only receiver, send_resolved true). */
        public Builder webhook(URI url) {
            this.webhook = url;
            return this;
        }

        /** {@code group_wait} (default 100ms). */
        public Builder groupWait(Duration d) {
            this.groupWait = d;
            return this;
        }

        /** {@code group_interval} (default 500ms): how soon a change in a group (a resolution) is notified. */
        public Builder groupInterval(Duration d) {
            this.groupInterval = d;
            return this;
        }

        /** {@code repeat_interval} (default 1h). */
        public Builder repeatInterval(Duration d) {
            this.repeatInterval = d;
            return this;
        }

        /** A fixed port instead of a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Generates the configuration and starts Alertmanager; returns once it is ready. */
        public AlertmanagerServer start() throws IOException, InterruptedException {
            Assumptions.assumeTrue(available(),
                    BINARY + " is not installed (.ci/run installs Debian's prometheus-alertmanager)");
            return ServerProcess.startOnFreePort(port > 0, () -> new AlertmanagerServer(this), AlertmanagerServer::start);
        }
    }

    private final Builder settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AlertmanagerServer(Builder b) throws IOException {
        super("alertmanager", b.port, Files.createTempDirectory("alertmanager-test-"), "alertmanager.log");
        this.settings = b;
        Files.createDirectories(storage());
        write();
    }

    /** A builder with the defaults: a free port, group_wait 100ms, group_interval 500ms, repeat_interval 1h. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether Alertmanager is installed here; tests skip without it. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** {@code http://127.0.0.1:<port>}, the base URL poolwatch posts under. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private Path storage() {
        return dir.resolve("data");
    }

    /** Starts Alertmanager (again) on its port; returns once {@code /-/ready} answers 200. Nothing when it runs. */
    public synchronized void start() throws IOException, InterruptedException {
        List<String> command = List.of(BINARY.toString(),
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + storage(),
                "--web.listen-address=127.0.0.1:" + port,
                // Gossip off: it would bind 9094 on every address, which two Alertmanagers (or another test) would share.
                "--cluster.listen-address=",
                "--log.level=debug");
        process.start(command, START_TIMEOUT, this::ready);
    }

    private boolean ready() {
        return answers200(http, URI.create(baseUrl() + "/-/ready"));
    }

    /** Deletes its storage (notification log and silences), while it is stopped, so it starts again as a new one. */
    public synchronized void wipeStorage() throws IOException {
        if (running()) {
            throw new IllegalStateException("stop Alertmanager before wiping its storage");
        }
        ServerProcess.deleteTree(storage());
        Files.createDirectories(storage());
    }

    /** GET {@code /api/v2/alerts}: the alerts Alertmanager holds as active (not resolved), whatever silences them. */
    public List<JsonNode> alerts() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v2/alerts")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new IOException("GET /api/v2/alerts answered " + r.statusCode() + ": " + r.body());
        }
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).forEach(out::add);
        return out;
    }

    /** The active alerts whose labels include every pair of {@code labels}; an empty list when Alertmanager does not answer. */
    public List<JsonNode> alertsWith(Map<String, String> labels) {
        try {
            return alerts().stream().filter(a -> labels.entrySet().stream()
                    .allMatch(e -> e.getValue().equals(a.path("labels").path(e.getKey()).asText(null)))).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private void write() throws IOException {
        String yml = "route:\n"
                + "  receiver: hook\n"
                + "  group_by: [alertname]\n"
                + "  group_wait: " + millis(settings.groupWait) + "\n"
                + "  group_interval: " + millis(settings.groupInterval) + "\n"
                + "  repeat_interval: " + millis(settings.repeatInterval) + "\n"
                + "receivers:\n"
                + "  - name: hook\n"
                + "    webhook_configs:\n"
                + "      - url: '" + settings.webhook + "'\n"
                + "        send_resolved: true\n";
        Files.writeString(dir.resolve("alertmanager.yml"), yml, StandardCharsets.UTF_8);
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }
}
