package io.poolwatch.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.hamcrest.Matchers;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import io.poolwatch.alerting.AuditLog;
import io.poolwatch.testing.CsrfForm;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.SecurityProfile;
import io.poolwatch.testing.TestDatabases;
import io.poolwatch.web.RootedPath;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The role boundaries, for every endpoint poolwatch serves: the JAX-RS resources are read by reflection, so a new
 * endpoint is in this table without anyone adding it. Anonymous, a user without a role, a viewer and an admin each ask
 * every endpoint; what each may do is {@link Access}'s rule, asserted on the status they get.
 * <p>
 * Admin requests that change something are sent as forms without a CSRF token: the policy lets them through (no
 * 401/403), then the CSRF filter refuses them (400) before anything runs, so the table changes nothing.
 */
@QuarkusTest
@TestProfile(SecurityProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AccessControlTest {

    @Inject
    AuditLog audit;

    /** One endpoint: method and a concrete path (path parameters filled with names that do not exist). */
    record Endpoint(String method, String path) {
        Access access() {
            return Access.required(method, path);
        }
    }

    enum Caller {
        ANONYMOUS(null, null),
        NO_ROLE(SecurityProfile.NO_ROLE, SecurityProfile.NO_ROLE_PASSWORD),
        VIEWER(SecurityProfile.VIEWER, SecurityProfile.VIEWER_PASSWORD),
        ADMIN(SecurityProfile.ADMIN, SecurityProfile.ADMIN_PASSWORD);

        final String user;
        final String password;

        Caller(String user, String password) {
            this.user = user;
            this.password = password;
        }

        RequestSpecification spec() {
            RequestSpecification s = given().redirects().follow(false);
            return user == null ? s : s.auth().preemptive().basic(user, password);
        }
    }

    static List<Endpoint> endpoints() throws IOException, ClassNotFoundException {
        List<Endpoint> all = new ArrayList<>();
        // The extension's resources, and the service's own (the simulator's API).
        List<Class<?>> types = new ArrayList<>();
        for (String[] place : new String[][] { { "../runtime/target/classes/io/poolwatch/web", "io.poolwatch.web." },
                { "target/classes/io/poolwatch/simulator", "io.poolwatch.simulator." } }) {
            try (Stream<Path> files = Files.list(Path.of(place[0]))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$"))
                        .toList()) {
                    types.add(Class.forName(place[1] + f.getFileName().toString().replace(".class", "")));
                }
            }
        }
        for (Class<?> type : types) {
            // The extension's resources are rooted (the service's root is /); the service's own have a plain @Path.
            RootedPath rooted = type.getAnnotation(RootedPath.class);
            jakarta.ws.rs.Path plain = type.getAnnotation(jakarta.ws.rs.Path.class);
            String root = rooted != null ? rooted.value() : plain != null ? plain.value() : null;
            if (root == null) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                String verb = m.isAnnotationPresent(GET.class) ? "GET"
                        : m.isAnnotationPresent(POST.class) ? "POST"
                                : m.isAnnotationPresent(DELETE.class) ? "DELETE"
                                        : m.isAnnotationPresent(PUT.class) ? "PUT"
                                                : m.isAnnotationPresent(PATCH.class) ? "PATCH" : null;
                if (verb == null) {
                    continue;
                }
                jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                String path = ("/" + root + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
                path = path.replaceAll("\\{[^}]+\\}", "no-such-thing");
                if (path.length() > 1 && path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
                all.add(new Endpoint(verb, path));
            }
        }
        // Served outside the JAX-RS resources.
        all.add(new Endpoint("GET", "/q/health/live"));
        all.add(new Endpoint("GET", "/q/health/ready"));
        all.add(new Endpoint("GET", "/q/health/started"));
        all.add(new Endpoint("GET", "/q/health"));
        all.add(new Endpoint("GET", "/q/metrics"));
        all.add(new Endpoint("GET", "/static/js/dashboard.js"));
        all.add(new Endpoint("GET", "/static/css/dashboard.css"));
        // The OpenAPI document, in each spelling Quarkus serves it, and Swagger UI (served in dev mode only).
        for (String openapi : List.of("/q/openapi", "/q/openapi.json", "/q/openapi.yaml", "/q/openapi.yml", "/q/swagger-ui")) {
            all.add(new Endpoint("GET", openapi));
        }
        return all;
    }

    private static Response call(Caller caller, Endpoint e) {
        RequestSpecification s = caller.spec();
        if (!Access.isSafe(e.method())) {
            s = s.contentType(ContentType.URLENC).formParam("x", "1");
        }
        return s.when().request(e.method(), e.path());
    }

    @Test
    void everyEndpointAnswersEachCallerAsItsRoleAllows() throws Exception {
        List<Endpoint> endpoints = endpoints();
        assertTrue(endpoints.stream().filter(e -> e.access() == Access.ADMIN).count() >= 10,
                "the admin endpoints were found: " + endpoints);
        assertTrue(endpoints.stream().filter(e -> e.access() == Access.VIEWER).count() >= 15,
                "the read endpoints were found: " + endpoints);
        List<String> wrong = new ArrayList<>();
        for (Endpoint e : endpoints) {
            for (Caller c : Caller.values()) {
                int status = call(c, e).statusCode();
                boolean allowed = switch (e.access()) {
                    case OPEN -> true;
                    case METRICS -> false; // token mode: no user is enough
                    case VIEWER -> c == Caller.VIEWER || c == Caller.ADMIN;
                    case ADMIN -> c == Caller.ADMIN;
                    case DEV, DENY -> false; // not served outside dev mode: no endpoint the reflection finds
                };
                int expectedRefusal = c == Caller.ANONYMOUS ? 401 : 403;
                if (allowed && (status == 401 || status == 403)) {
                    wrong.add(c + " " + e + ": " + status + ", expected to be let in");
                } else if (!allowed && status != expectedRefusal) {
                    wrong.add(c + " " + e + ": " + status + ", expected " + expectedRefusal);
                } else if (allowed && c == Caller.ADMIN && !Access.isSafe(e.method()) && status != 400 && status != 415) {
                    // 400: the CSRF filter refused the form; 415: the endpoint takes JSON only, so no form reaches it
                    wrong.add(
                            c + " " + e + ": " + status + ", expected the CSRF filter's 400 (a form without its token) or 415");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void anUnauthenticatedRequestIsChallengedAndAWrongPasswordIsRefused() {
        given().when().get("/api/v1/pools").then().statusCode(401).header("WWW-Authenticate",
                Matchers.containsStringIgnoringCase("basic realm=\"poolwatch\""));
        given().auth().preemptive().basic(SecurityProfile.ADMIN, "wrong").when().get("/api/v1/pools").then().statusCode(401);
        given().auth().preemptive().basic(SecurityProfile.VIEWER, SecurityProfile.VIEWER_PASSWORD).when().get("/api/v1/pools")
                .then()
                .statusCode(200);
    }

    @Test
    void theMetricsNeedTheBearerTokenAndTheProbesNeedNothing() {
        given().when().get("/q/metrics").then().statusCode(401);
        given().header("Authorization", "Bearer not-the-token-at-all").when().get("/q/metrics").then().statusCode(401);
        given().header("Authorization", "Bearer " + SecurityProfile.METRICS_TOKEN).when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("poolwatch_"));
        int ready = given().when().get("/q/health/ready").then().extract().statusCode();
        assertTrue(ready == 200 || ready == 503, "readiness answers without credentials: " + ready);
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void anAdminFormWithItsTokenWorksAndIsAuditedWithWhoAndWhere() {
        RequestSpecification admin = Caller.ADMIN.spec();
        CsrfForm.given(admin).when().post("/actions/pools/main/reset-metrics").then().statusCode(303);
        Caller.VIEWER.spec().contentType(ContentType.URLENC).formParam("x", "1").when()
                .post("/actions/pools/main/reset-metrics").then()
                .statusCode(403);
        List<AuditLog.Event> events = audit.recent(50, AdminAudit.ADMIN_ACTION);
        AuditLog.Event done = events.stream().filter(e -> "done".equals(e.fields().get("outcome"))).findFirst().orElseThrow();
        assertEquals(SecurityProfile.ADMIN, done.fields().get("user"));
        assertEquals("/actions/pools/main/reset-metrics", done.fields().get("path"));
        assertEquals(303, done.fields().get("status"));
        assertEquals("127.0.0.1", done.fields().get("from"));
        assertTrue(
                events.stream()
                        .anyMatch(e -> SecurityProfile.VIEWER.equals(e.fields().get("user"))
                                && "refused".equals(e.fields().get("outcome"))),
                events.toString());
        // and at the API, for admins only
        Caller.ADMIN.spec().when().get("/api/v1/audit?type=" + AdminAudit.ADMIN_ACTION).then().statusCode(200)
                .body("[0].type", equalTo(AdminAudit.ADMIN_ACTION));
    }

    @Test
    void aViewerSeesThePagesWithoutTheFormsItCouldNotPostAndAnAdminSeesThem() {
        for (String path : List.of("/", "/alerts", "/checks", "/pools/main")) {
            Document viewer = Jsoup
                    .parse(Caller.VIEWER.spec().when().get(path).then().statusCode(200).extract().asString());
            assertEquals(0, viewer.select("form[method=post]").size(),
                    path + " shows a viewer a form: " + viewer.select("form"));
            Document admin = Jsoup
                    .parse(Caller.ADMIN.spec().when().get(path).then().statusCode(200).extract().asString());
            assertTrue(admin.select("form[method=post]").size() > 0 || path.equals("/checks"),
                    path + " shows an admin no form");
        }
        Caller.VIEWER.spec().when().get("/").then().body(containsString("Starting a fault needs the admin role"));
    }

    @Test
    void aChangeSentFromAnotherOriginIsRefusedEvenForAnAdmin() {
        Caller.ADMIN.spec().header("Origin", "http://evil.example").contentType(ContentType.JSON).body("{}").when()
                .post("/api/v1/silences")
                .then().statusCode(403);
        Caller.ADMIN.spec().header("Sec-Fetch-Site", "cross-site").when().post("/api/v1/checks/no-such-check/run").then()
                .statusCode(403);
        // the same request from no browser at all reaches the endpoint
        Caller.ADMIN.spec().contentType(ContentType.JSON).when().post("/api/v1/checks/no-such-check/run").then()
                .statusCode(404);
        // a form sent to the API without a dashboard page's token is refused, with the reason
        Caller.ADMIN.spec().contentType(ContentType.URLENC).formParam("x", "1").when().post("/api/v1/checks/no-such-check/run")
                .then()
                .statusCode(400).body(containsString("CSRF"));
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndTheCsrfCookieIsHttpOnlyAndStrict() {
        for (String path : List.of("/", "/api/v1/pools", "/q/health/live")) {
            Response r = Caller.VIEWER.spec().when().get(path);
            String csp = r.header("Content-Security-Policy");
            assertTrue(
                    csp != null && csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'")
                            && !csp.contains("unsafe-inline"),
                    path + ": " + csp);
            assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
            assertEquals("same-origin", r.header("Referrer-Policy"), path);
            assertEquals("DENY", r.header("X-Frame-Options"), path);
        }
        String cookie = Caller.VIEWER.spec().when().get("/alerts").header("Set-Cookie");
        assertTrue(cookie.startsWith(CsrfForm.COOKIE + "="), cookie);
        assertTrue(cookie.toLowerCase(Locale.ROOT).contains("; httponly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() {
        String big = "{\"comment\":\"" + "x".repeat(100_000) + "\"}";
        Caller.ADMIN.spec().contentType(ContentType.JSON).body(big).when().post("/api/v1/silences").then().statusCode(413);
    }

    @Test
    void noSecretAppearsInAnyAnswerOrInTheLog() throws Exception {
        String dbPassword = TestDatabases.postgres().password();
        List<String> secrets = List.of(dbPassword, SecurityProfile.VIEWER_PASSWORD, SecurityProfile.ADMIN_PASSWORD,
                SecurityProfile.METRICS_TOKEN,
                SecurityProfile.WEBHOOK_SECRET, SecurityProfile.WEBHOOK_SECRET.substring("whsec_".length()),
                SecurityProfile.RECEIVER_TOKEN,
                SecurityProfile.RECEIVER_PASSWORD, SecurityProfile.hash(SecurityProfile.ADMIN, SecurityProfile.ADMIN_PASSWORD));
        List<String> leaks = new ArrayList<>();
        List<String> pages = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            if (Access.isSafe(e.method())) {
                pages.add(e.path());
            }
        }
        pages.addAll(List.of("/pools/main", "/pools/financial", "/api/v1/pools/main", "/api/v1/pools/financial", "/alerts",
                "/checks"));
        for (String path : pages) {
            RequestSpecification s = Caller.ADMIN.spec();
            if (path.startsWith("/q/metrics")) {
                s = given().header("Authorization", "Bearer " + SecurityProfile.METRICS_TOKEN);
            }
            Response r = s.when().get(path);
            String body = r.asString() + r.headers().toString();
            for (String secret : secrets) {
                if (body.contains(secret)) {
                    leaks.add(path + " shows " + secret.substring(0, 4) + "...");
                }
            }
        }
        String log = Files.readString(Path.of(SecurityProfile.LOG_FILE));
        assertFalse(log.isEmpty());
        for (String secret : secrets) {
            if (log.contains(secret)) {
                leaks.add("the log shows " + secret.substring(0, 4) + "...");
            }
        }
        assertEquals(List.of(), leaks);
        assertNotEquals(0, pages.size());
    }

    @Test
    void hostileNamesInPathsAreEscapedAndNeverExecuted() {
        String payload = "<img src=x onerror=alert(1)>";
        Caller.VIEWER.spec().when().get("/pools/" + payload).then().statusCode(404).body(not(containsString(payload)))
                .body(containsString("&lt;img src=x onerror=alert(1)&gt;"));
        Caller.VIEWER.spec().when().get("/pools/<script>alert(1)</script>").then().statusCode(404)
                .body(not(containsString("<script>alert")));
        Caller.VIEWER.spec().when().get("/api/v1/pools/" + payload).then().statusCode(404).contentType(ContentType.JSON);
        Caller.VIEWER.spec().when().get("/?done=reset&pool=" + payload).then().statusCode(200)
                .body(not(containsString(payload)));
        Caller.VIEWER.spec().when().get("/api/v1/audit").then().statusCode(403);
        Map<String, String> noUnknownFields = Map.of("matchers", "[]");
        Caller.ADMIN.spec().contentType(ContentType.JSON).body(noUnknownFields).when().post("/api/v1/silences").then()
                .statusCode(400);
    }
}
