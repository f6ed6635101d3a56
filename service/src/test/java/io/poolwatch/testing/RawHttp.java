package io.poolwatch.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, the request line and headers sent byte for byte as given: no client library
 * re-encodes the path, tidies dot segments or fixes the {@code Host} header, so a test sends exactly what an attacker
 * would.
 */
public final class RawHttp {

    /** A status and body. */
    public record Answer(int status, String body) {
        public boolean success() {
            return status >= 200 && status < 300;
        }
    }

    private final int port;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private RawHttp(int port) {
        this.port = port;
    }

    /** Requests to 127.0.0.1:port, with {@code Host: localhost:port} unless a test sets another. */
    public static RawHttp to(int port) {
        RawHttp h = new RawHttp(port);
        h.headers.put("Host", "localhost:" + port);
        return h;
    }

    public RawHttp header(String name, String value) {
        RawHttp h = new RawHttp(port);
        h.headers.putAll(headers);
        if (value == null) {
            h.headers.remove(name);
        } else {
            h.headers.put(name, value);
        }
        return h;
    }

    public RawHttp basic(String user, String password) {
        return user == null ? header("Authorization", null)
                : header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends one request (a JSON body of {} for methods that change something) and reads the whole answer. */
    public Answer send(String method, String target) {
        return send(method, target, headers, port);
    }

    private static Answer send(String method, String target, Map<String, String> headers, int port) {
        StringBuilder req = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        boolean body = !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
        if (body) {
            req.append("Content-Type: application/json\r\nContent-Length: 2\r\n");
        }
        req.append("Connection: close\r\n\r\n");
        if (body) {
            req.append("{}");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(s.getInputStream(), method + " " + target);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + target + ": " + e, e);
        }
    }

    /** One answer: the head, then a body by Content-Length, chunked, or up to the end of the stream. */
    static Answer read(InputStream in, String what) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.") || text.length() < 12) {
            throw new IllegalStateException("not an HTTP answer to " + what + ": " + text);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String lower = text.toLowerCase(Locale.ROOT);
        Matcher length = Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(lower);
        byte[] body;
        if (length.find()) {
            body = in.readNBytes(Integer.parseInt(length.group(1)));
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                String size = line(in).trim();
                int n = Integer.parseInt(size.contains(";") ? size.substring(0, size.indexOf(';')) : size, 16);
                if (n == 0) {
                    break;
                }
                all.write(in.readNBytes(n));
                line(in);
            }
            body = all.toByteArray();
        } else if (status == 204 || status == 304) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
        }
        return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.append((char) c);
        }
        return b.toString();
    }
}
