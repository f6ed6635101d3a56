package io.poolwatch.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/**
 * In a host application poolwatch guards its own root, {@code /q/poolwatch}, however its paths are spelt, and only
 * it: the host's own paths keep their matrix parameters and are answered whatever the Host header says.
 */
class HostPathsTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("paths", Hello.class)
            .overrideConfigKey("quarkus.http.auth.basic", "true")
            .overrideConfigKey("quarkus.security.users.embedded.enabled", "true")
            .overrideConfigKey("quarkus.security.users.embedded.plain-text", "true")
            .overrideConfigKey("quarkus.security.users.embedded.users.vera", "vera-pw")
            .overrideConfigKey("quarkus.security.users.embedded.roles.vera", "viewer")
            .overrideConfigKey("quarkus.security.users.embedded.users.ada", "ada-pw")
            .overrideConfigKey("quarkus.security.users.embedded.roles.ada", "admin");

    /** An endpoint of the host's own, open to anyone. */
    @Path("/hello")
    public static class Hello {
        @GET
        public String hello() {
            return "hello";
        }
    }

    @Test
    void theHostsOwnPathsAreLeftAlone() {
        assertEquals(200, send("GET", "/hello", "localhost", null).status);
        assertEquals(200, send("GET", "/hello;jsessionid=1", "localhost", null).status);
        assertEquals(200, send("GET", "/hello", "evil.example", null).status, "allowed-hosts is poolwatch's, not the host's");
    }

    @Test
    void poolwatchsPathsRefuseAForeignHost() {
        Answer a = send("GET", "/q/poolwatch/api/v1/pools", "evil.example", "vera:vera-pw");
        assertEquals(421, a.status, a.body);
        assertTrue(a.body.contains("poolwatch.http.allowed-hosts"), a.body);
        assertEquals(200, send("GET", "/q/poolwatch/api/v1/pools", "localhost", "vera:vera-pw").status);
    }

    @Test
    void noSpellingOfTheAuditLetsAViewerOrAnonymousIn() {
        assertEquals(200, send("GET", "/q/poolwatch/api/v1/audit", "localhost", "ada:ada-pw").status);
        List<String> wrong = new ArrayList<>();
        Set<String> variants = variants("/q/poolwatch/api/v1/audit");
        for (String v : variants) {
            for (String who : new String[] { "vera:vera-pw", null }) {
                Answer a = send("GET", v, "localhost", who);
                if (a.status < 400 || a.status >= 500) {
                    wrong.add((who == null ? "anonymous " : "viewer ") + v + ": " + a.status);
                }
            }
        }
        assertTrue(variants.size() > 60, "variants: " + variants.size());
        assertEquals(List.of(), wrong);
    }

    /** Matrix parameters, dot segments, encodings of each character, doubled and encoded slashes, at every segment. */
    static Set<String> variants(String path) {
        Set<String> out = new LinkedHashSet<>();
        String[] segs = path.substring(1).split("/");
        for (int i = 0; i < segs.length; i++) {
            String s = segs[i];
            List<String> forms = new ArrayList<>(
                    List.of(s + ";x", s + ";", "./" + s, "x/../" + s, "x/..;/" + s, "%2e/" + s, "/" + s, s.toUpperCase()));
            for (int c = 0; c < s.length(); c++) {
                forms.add(s.substring(0, c) + String.format("%%%02X", (int) s.charAt(c)) + s.substring(c + 1));
                forms.add(s.substring(0, c) + String.format("%%%02x", (int) s.charAt(c)) + s.substring(c + 1));
            }
            if (i + 1 < segs.length) {
                forms.add(s + "%2F" + segs[i + 1] + "/..");
            }
            for (String f : forms) {
                StringBuilder b = new StringBuilder();
                for (int k = 0; k < segs.length; k++) {
                    b.append('/').append(k == i ? f : segs[k]);
                }
                out.add(b.toString());
            }
        }
        out.add(path + "/");
        out.add(path + ";x");
        out.add("/x/.." + path);
        return out;
    }

    record Answer(int status, String body) {
    }

    /** One request over a socket, the target and Host sent as given. */
    static Answer send(String method, String target, String host, String credentials) {
        StringBuilder r = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n");
        if (credentials != null) {
            r.append("Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        r.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", RestAssured.port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(r.toString().getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(text.substring(9, 12)), split < 0 ? "" : text.substring(split + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
