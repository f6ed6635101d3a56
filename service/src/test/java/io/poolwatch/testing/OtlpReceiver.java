package io.poolwatch.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;

/**
 * A real OTLP/HTTP metrics receiver on loopback, as a collector's {@code otlp} receiver on port 4318 takes them:
 * {@code POST /v1/metrics} with {@code application/x-protobuf} (gzip or not), each body decoded with OpenTelemetry's own
 * protocol classes. Keeps the last {@value #KEPT} requests; a body that does not decode is answered 400 and counted.
 */
public final class OtlpReceiver implements AutoCloseable {

    static final int KEPT = 200;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "otlp-receiver"));
    private final Deque<ExportMetricsServiceRequest> requests = new ArrayDeque<>();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger undecodable = new AtomicInteger();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free loopback port. */
    public static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/v1/metrics", receiver::handle);
        server.setExecutor(receiver.executor);
        server.start();
        return receiver;
    }

    /** What an OTLP/HTTP exporter is pointed at (the exporter adds {@code /v1/metrics}). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            ExportMetricsServiceRequest request;
            try {
                InputStream in = new ByteArrayInputStream(body);
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    in = new GZIPInputStream(in);
                }
                request = ExportMetricsServiceRequest.parseFrom(in);
            } catch (IOException e) {
                // Not gzip though it said so, or not an OTLP metrics request.
                undecodable.incrementAndGet();
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            synchronized (requests) {
                if (requests.size() == KEPT) {
                    requests.removeFirst();
                }
                requests.addLast(request);
            }
            byte[] answer = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        }
    }

    /** The decoded requests kept, oldest first. */
    public List<ExportMetricsServiceRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests received so far, decoded or not. */
    public int received() {
        return received.get();
    }

    /** Requests whose body was not an OTLP metrics request. */
    public int undecodable() {
        return undecodable.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
