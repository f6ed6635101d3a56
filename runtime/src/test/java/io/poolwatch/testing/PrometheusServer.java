package io.poolwatch.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus server (Debian's {@code /usr/bin/prometheus}, from the {@code prometheus} package that {@code .ci/run}
 * installs) scraping the targets a test gives it, started on a free loopback port with a generated configuration and
 * its own temporary storage, and stopped by {@link #close()}.
 * <p>
 * One scrape job, {@link #JOB}, over every target at {@link Builder#scrapeInterval} (1 s unless set); the evaluation
 * interval is the same. Prometheus runs in the foreground as a child of this JVM; its log is kept in the temporary
 * directory for failure messages. Queries go to its HTTP API.
 *
 * <pre>
 * try (PrometheusServer prometheus = PrometheusServer.builder().target("127.0.0.1:8080").start()) {
 *     JsonNode result = prometheus.query("up"); // data.result of /api/v1/query
 *     prometheus.targetsUp(); // targets whose last scrape succeeded
 * }
 * </pre>
 */
public final class PrometheusServer extends ProcessServer {

    /** Debian's Prometheus server. */
    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    /** The name of the one scrape job (the {@code job} label of every series scraped). */
    public static final String JOB = "poolwatch";
    private static final long START_TIMEOUT_MS = 30_000;
    private static final long STOP_TIMEOUT_MS = 10_000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to generate; every setting but the targets has a default. */
    public static final class Builder {
        private final List<String> targets = new ArrayList<>();
        private Duration scrapeInterval = Duration.ofSeconds(1);
        private String metricsPath = "/q/metrics";
        private int port;

        private Builder() {
        }

        /** A {@code host:port} to scrape; may be given several times. */
        public Builder target(String address) {
            targets.add(address);
            return this;
        }

        /** How often every target is scraped and rules are evaluated (default 1 s, whole seconds or milliseconds). */
        public Builder scrapeInterval(Duration interval) {
            this.scrapeInterval = interval;
            return this;
        }

        /** The path scraped on every target (default {@code /q/metrics}). */
        public Builder metricsPath(String path) {
            this.metricsPath = path;
            return this;
        }

        /** A fixed port instead of a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Writes the configuration and starts Prometheus; returns once it reports itself ready. */
        public PrometheusServer start() throws IOException, InterruptedException {
            Assumptions.assumeTrue(available(), BINARY + " is not installed (.ci/run installs Debian's prometheus)");
            if (targets.isEmpty()) {
                throw new IllegalStateException("no target to scrape");
            }
            return ServerProcess.startOnFreePort(port > 0, () -> new PrometheusServer(this), PrometheusServer::begin);
        }
    }

    private final Builder settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    private PrometheusServer(Builder b) throws IOException {
        super("prometheus", b.port, Files.createTempDirectory("prometheus-test-"), "prometheus.log");
        this.settings = b;
        write();
    }

    /** A builder scraping nothing yet, every 1 s, on a free port. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether Prometheus is installed here; tests skip without it. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code data.result} of an instant query at the server's present time. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data").path("result");
    }

    /** {@code data.result} of an instant query evaluated at {@code time}, so several queries see the same samples. */
    public JsonNode query(String promql, Instant time) throws IOException, InterruptedException {
        String at = String.format(Locale.ROOT, "%.3f", time.toEpochMilli() / 1000.0);
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + at).path("data")
                .path("result");
    }

    /** The targets whose last scrape succeeded (their {@code scrapeUrl}s). */
    public List<String> targetsUp() throws IOException, InterruptedException {
        List<String> up = new ArrayList<>();
        for (JsonNode t : get("/api/v1/targets?state=active").path("data").path("activeTargets")) {
            if (t.path("health").asText().equals("up")) {
                up.add(t.path("scrapeUrl").asText());
            }
        }
        return up;
    }

    /** The targets' last scrape errors, for failure messages. */
    public String targetErrors() {
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode t : get("/api/v1/targets?state=active").path("data").path("activeTargets")) {
                out.add(t.path("scrapeUrl").asText() + " " + t.path("health").asText() + " " + t.path("lastError").asText());
            }
            return String.join("; ", out);
        } catch (IOException | InterruptedException e) {
            return "(no targets: " + e.getMessage() + ")";
        }
    }

    /** A GET of Prometheus's HTTP API; its JSON body, or an IOException naming the status and body when not 200. */
    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri() + pathAndQuery)).timeout(REQUEST_TIMEOUT).GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "Prometheus answered " + response.statusCode() + " to " + pathAndQuery + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private void begin() throws IOException, InterruptedException {
        List<String> command = List.of(BINARY.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h");
        process.start(command, dir, Duration.ofMillis(START_TIMEOUT_MS), this::ready);
    }

    /** Whether {@code /-/ready} answers 200 (it answers 503 while the storage is still being opened). */
    private boolean ready() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException e) {
            return false;
        }
        return answers200(http, URI.create(baseUri() + "/-/ready"));
    }

    private void write() throws IOException {
        String interval = settings.scrapeInterval.toMillis() % 1000 == 0 ? settings.scrapeInterval.toSeconds() + "s"
                : settings.scrapeInterval.toMillis() + "ms";
        String targets = settings.targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "));
        String yaml = "global:\n"
                + "  scrape_interval: " + interval + "\n"
                + "  scrape_timeout: " + interval + "\n"
                + "  evaluation_interval: " + interval + "\n"
                + "scrape_configs:\n"
                + "  - job_name: " + JOB + "\n"
                + "    metrics_path: " + settings.metricsPath + "\n"
                + "    static_configs:\n"
                + "      - targets: [" + targets + "]\n";
        Files.writeString(dir.resolve("prometheus.yml"), yaml, StandardCharsets.UTF_8);
    }
}
