package io.poolwatch.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.RawHttp;
import io.poolwatch.testing.SecurityProfile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Access is decided on the path the router dispatches, however the path is spelt. For every endpoint (the resources
 * read by reflection, as {@link AccessControlTest} does, so a new endpoint is covered without anyone adding it) a
 * corpus of spellings is generated: matrix parameters on each segment, {@code ./} and {@code x/../} before each,
 * each character percent-encoded, doubled slashes, trailing slashes, case changes, encoded and back slashes, encoded dot
 * segments. Sent byte for byte over a socket to the running service, none may give a viewer a 2xx or 3xx from an
 * endpoint that needs more than a viewer, nor anonymous one from anything but health; and none may fail with a 5xx.
 */
@QuarkusTest
@TestProfile(SecurityProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class PathVariantsTest {

    /** Spellings of a path (which starts with '/'), the path itself first. */
    static Set<String> variants(String path) {
        Set<String> out = new LinkedHashSet<>();
        out.add(path);
        String[] segs = path.equals("/") ? new String[0] : path.substring(1).split("/");
        for (int i = 0; i < segs.length; i++) {
            for (String matrix : List.of(";x", ";x=1;y=2", ";", ";jsessionid=1", ";/")) {
                out.add(join(segs, i, segs[i] + matrix));
            }
            for (String before : List.of("./", "x/../", ".;x/", "x/..;x/", "%2e/", "x/%2e%2e/", "x/%2E%2E/", "x/.%2e/", "/",
                    "%2f", "x/.../",
                    "x\\..\\", "x%5c..%5c", ";x/")) {
                out.add(join(segs, i, before + segs[i]));
            }
            String s = segs[i];
            for (int c = 0; c < s.length(); c++) {
                String hex = String.format("%%%02X", (int) s.charAt(c));
                out.add(join(segs, i, s.substring(0, c) + hex + s.substring(c + 1)));
                out.add(join(segs, i, s.substring(0, c) + hex.toLowerCase(Locale.ROOT) + s.substring(c + 1)));
                out.add(join(segs, i, s.substring(0, c) + "%25" + hex.substring(1) + s.substring(c + 1)));
            }
            StringBuilder all = new StringBuilder();
            for (char ch : s.toCharArray()) {
                all.append(String.format("%%%02X", (int) ch));
            }
            out.add(join(segs, i, all.toString()));
            out.add(join(segs, i, s.toUpperCase(Locale.ROOT)));
            out.add(join(segs, i, s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1)));
            if (i + 1 < segs.length) {
                for (String slash : List.of("%2F", "%2f", "%5C", "\\", "%252F", ";/", "//")) {
                    String[] merged = new String[segs.length - 1];
                    for (int k = 0, m = 0; k < segs.length; k++) {
                        if (k == i) {
                            merged[m++] = segs[k] + slash + segs[k + 1];
                            k++;
                        } else {
                            merged[m++] = segs[k];
                        }
                    }
                    out.add("/" + String.join("/", merged));
                }
            }
        }
        StringBuilder everyMatrix = new StringBuilder();
        for (String s : segs) {
            everyMatrix.append('/').append(s).append(";m=1");
        }
        if (segs.length > 0) {
            out.add(everyMatrix.toString());
        }
        String base = path.equals("/") ? "" : path;
        for (String tail : List.of("/", "//", "/.", "/./", "/;x", ";x", "/x/..", "/x/../", "%2F", "/%2e", "?x=1", "#x", "%00",
                "%20", "/..", "/.;x")) {
            out.add(base + tail);
        }
        out.add("/" + path);
        out.add("/./" + path.substring(1));
        out.add("/x/.." + path);
        out.add("/%2e%2e" + path);
        out.add(path.toUpperCase(Locale.ROOT));
        return out;
    }

    private static String join(String[] segs, int at, String replacement) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < segs.length; k++) {
            b.append('/').append(k == at ? replacement : segs[k]);
        }
        return b.toString();
    }

    /** Whether an endpoint needs more than a viewer (admin, or nothing at all is let in). */
    private static boolean beyondViewer(String access) {
        return !Set.of("OPEN", "METRICS", "VIEWER").contains(access);
    }

    @Test
    void noSpellingOfAPathLetsACallerPastItsRole() throws Exception {
        RawHttp http = RawHttp.to(RestAssured.port);
        RawHttp viewer = http.basic(SecurityProfile.VIEWER, SecurityProfile.VIEWER_PASSWORD);
        List<AccessControlTest.Endpoint> endpoints = new ArrayList<>();
        for (AccessControlTest.Endpoint e : AccessControlTest.endpoints()) {
            // Path parameters filled with names that exist, so an endpoint reached answers 2xx.
            endpoints.add(new AccessControlTest.Endpoint(e.method(), e.path().replace("no-such-thing", "main")));
        }
        assertTrue(endpoints.stream().anyMatch(e -> e.path().equals("/api/v1/audit")), endpoints.toString());
        List<String> wrong = new ArrayList<>();
        int sent = 0;
        for (AccessControlTest.Endpoint e : endpoints) {
            String access = e.access().name();
            for (String variant : variants(e.path())) {
                if (beyondViewer(access)) {
                    RawHttp.Answer a = viewer.send(e.method(), variant);
                    sent++;
                    if (a.status() < 400 || a.status() >= 500) {
                        wrong.add("viewer " + e.method() + " " + variant + " (" + access + "): " + a.status() + " "
                                + abbreviate(a.body()));
                    }
                }
                if (!access.equals("OPEN")) {
                    RawHttp.Answer a = http.send(e.method(), variant);
                    sent++;
                    if (a.status() < 400 || a.status() >= 500) {
                        wrong.add("anonymous " + e.method() + " " + variant + " (" + access + "): " + a.status() + " "
                                + abbreviate(a.body()));
                    }
                }
            }
        }
        assertTrue(sent > 2000, "the corpus is large: " + sent);
        assertEquals(List.of(), wrong.size() > 40 ? wrong.subList(0, 40) : wrong,
                wrong.size() + " of " + sent + " requests were let past");
    }

    @Test
    void theCanonicalSpellingStillWorksForTheRoleThatMayUseIt() {
        RawHttp viewer = RawHttp.to(RestAssured.port).basic(SecurityProfile.VIEWER, SecurityProfile.VIEWER_PASSWORD);
        RawHttp admin = RawHttp.to(RestAssured.port).basic(SecurityProfile.ADMIN, SecurityProfile.ADMIN_PASSWORD);
        assertEquals(200, viewer.send("GET", "/api/v1/pools").status());
        assertEquals(200, viewer.send("GET", "/api/v1/pools/").status());
        assertEquals(200, viewer.send("GET", "/api/v1/pools;x").status());
        assertEquals(200, viewer.send("GET", "/api/v1/%70ools/main").status());
        assertEquals(200, admin.send("GET", "/api/v1/audit").status());
        assertEquals(200, admin.send("GET", "/api/v1/audit;x").status());
        assertEquals(403, viewer.send("GET", "/api/v1/audit;x").status());
        assertEquals(403, viewer.send("GET", "/api/v1;x/audit").status());
        assertEquals(403, viewer.send("GET", "/api;/v1/audit").status());
    }

    @Test
    void aPathThatCannotBeReadOneWayIsRefusedWith400NamingTheProblem() {
        RawHttp admin = RawHttp.to(RestAssured.port).basic(SecurityProfile.ADMIN, SecurityProfile.ADMIN_PASSWORD);
        for (String p : List.of("/api/v1%2Faudit", "/api//v1/audit", "/api/v1/%2e%2e/v1/audit", "/api/v1/x/..;/audit",
                "/..", "/api/v1/pools/%252F")) {
            RawHttp.Answer a = admin.send("GET", p);
            assertEquals(400, a.status(), p + ": " + a.body());
            assertTrue(a.body().contains("\"error\""), p + ": " + a.body());
        }
        // refused by the HTTP server itself, before poolwatch sees it
        assertEquals(400, admin.send("GET", "/api\\v1/audit").status());
        assertEquals(400, admin.send("GET", "/api/v1/pools/ma%zzin").status());
    }

    private static String abbreviate(String s) {
        String t = s.replaceAll("\\s+", " ");
        return t.length() > 120 ? t.substring(0, 120) + "..." : t;
    }
}
