package io.poolwatch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/** A webhook receiver on 127.0.0.1 that records every request and answers from a script (200 when it runs out). */
public final class WebhookHook implements AutoCloseable {

    /** One request the hook received, headers keyed in lower case. */
    public record Request(Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        public String id() {
            return header("webhook-id");
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Reply(int status, Map<String, String> headers) {
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final HttpServer server;

    private WebhookHook(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            requests.add(new Request(headers, body));
            Reply reply = script.poll();
            int status = reply == null ? 200 : reply.status();
            if (reply != null) {
                reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public static WebhookHook start() throws IOException {
        return new WebhookHook(0);
    }

    public static WebhookHook start(int port) throws IOException {
        return new WebhookHook(port);
    }

    /** A port nothing listens on (until a hook is started on it). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static URI url(int port) {
        return URI.create("http://127.0.0.1:" + port + "/hook?token=not-shown");
    }

    public URI url() {
        return url(server.getAddress().getPort());
    }

    /** Queues the next reply: a status and header name/value pairs. */
    public WebhookHook reply(int status, String... headerPairs) {
        Map<String, String> h = new TreeMap<>();
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            h.put(headerPairs[i], headerPairs[i + 1]);
        }
        script.add(new Reply(status, h));
        return this;
    }

    public List<String> ids() {
        return requests.stream().map(Request::id).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
