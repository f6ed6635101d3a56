package io.poolwatch.observed;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.testing.Await;
import io.poolwatch.testing.PgBouncerServer;
import io.poolwatch.testing.PoolwatchProcess;
import io.poolwatch.testing.PythonExample;
import io.poolwatch.testing.TestDatabases;
import io.poolwatch.testing.WebhookHook;
import io.poolwatch.testing.WebhookKeys;

/**
 * The issue's whole path on the packaged jar, with nothing changed in the application for poolwatch: a Python service
 * on SQLAlchemy (examples/python-sqlalchemy, run as it is) talks to the test PostgreSQL through a real PgBouncer
 * (transaction pooling, two server connections). One of its workers holds a row lock for a while, so a second worker
 * blocks on it and the rest wait at PgBouncer for a server connection. poolwatch, pointed at the same database and at
 * PgBouncer's admin console, raises pgbouncer-clients-waiting, which reaches a real webhook receiver signed, and
 * resolves it there once the lock is let go; meanwhile the overview shows the application's sessions and the blocking,
 * and readiness stays UP, as nothing poolwatch only observes may take it out of service.
 */
class ObservedEndToEndIT {

    private static final Duration START = Duration.ofSeconds(60);
    /** Bound of every wait below: several sampling intervals, evaluations and a delivery, on a loaded 2-core machine. */
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void await(String what, BooleanSupplier condition, Supplier<String> diagnosis) throws InterruptedException {
        Await.within(what, WAIT, condition, diagnosis);
    }

    private static List<JsonNode> notifications(WebhookHook hook, String alertname, String status) {
        return hook.requests.stream().map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).filter(b -> b.path("status").asText().equals(status))
                .filter(b -> b.path("alerts").findValuesAsText("alertname").contains(alertname)).toList();
    }

    private static String get(PoolwatchProcess app, String path) {
        return given().baseUri(app.baseUri()).when().get(path).then().extract().asString();
    }

    private static String output(PoolwatchProcess app) {
        try {
            String out = app.output();
            return out.length() > 6000 ? out.substring(out.length() - 6000) : out;
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Test
    void aPythonServiceBehindPgBouncerIsWatchedEndToEnd() throws Exception {
        Assumptions.assumeTrue(PgBouncerServer.available(), "PgBouncer is not installed (" + PgBouncerServer.BINARY + ")");
        PythonExample.unavailable().ifPresent(reason -> Assumptions.abort("the Python example cannot run here: " + reason));
        String application = "mingus-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        TestDatabases.Server pg = TestDatabases.postgres();
        Path outbox = Files.createTempDirectory("poolwatch-observed-it");
        int hookPort = WebhookHook.freePort();

        try (PgBouncerServer bouncer = PgBouncerServer.builder().poolSize(2).poolMode("transaction").start();
                WebhookHook hook = WebhookHook.start(hookPort)) {
            Map<String, String> p = new HashMap<>();
            p.put("poolwatch.applications.\"mingus\".application-name", application);
            p.put("poolwatch.applications.\"mingus\".expected-max", "6");
            p.put("poolwatch.pgbouncer.\"edge\".url", bouncer.consoleUrl());
            p.put("poolwatch.pgbouncer.\"edge\".username", bouncer.statsUser());
            p.put("poolwatch.pgbouncer.\"edge\".password", bouncer.statsPassword());
            p.put("poolwatch.sampling.interval", "1s");
            p.put("poolwatch.sampling.server-interval", "1s");
            p.put("poolwatch.alerting.rules.\"pgbouncer-clients-waiting\".for", "0s");
            p.put("poolwatch.alerting.rules.\"pgbouncer-clients-waiting\".keep-firing-for", "1s");
            p.put("poolwatch.alerting.instance", "observed-it-" + UUID.randomUUID().toString().substring(0, 8));
            p.put("poolwatch.alerting.receivers.ops.url", WebhookHook.url(hookPort).toString());
            p.put("poolwatch.alerting.receivers.ops.secret", WebhookKeys.KEY_A);
            p.put("poolwatch.alerting.evaluation-interval", "500ms");
            p.put("poolwatch.alerting.group-wait", "0s");
            p.put("poolwatch.alerting.group-interval", "1s");
            p.put("poolwatch.alerting.outbox.path", outbox.toString());
            p.put("poolwatch.alerting.outbox.poll-interval", "200ms");

            try (PoolwatchProcess app = PoolwatchProcess.start(Map.of("DATABASE_URL", pg.seedUrl()), p)) {
                app.awaitStarted(START).orElseThrow(() -> new AssertionError(output(app)));
                await("PgBouncer edge is read", () -> get(app, "/api/v1/pgbouncers/edge").contains("\"up\":true"),
                        () -> get(app, "/api/v1/pgbouncers/edge") + "\n" + output(app));

                // The service exactly as its README runs it, through PgBouncer, with its own variables.
                Map<String, String> env = Map.of(
                        "DATABASE_URL",
                        "postgresql://" + PgBouncerServer.CLIENT_USER + ":" + pg.password() + "@" + bouncer.host() + ":"
                                + bouncer.port() + "/" + PgBouncerServer.DATABASE,
                        "DB_POOL_SIZE", "4",
                        "DB_MAX_OVERFLOW", "2",
                        "APP_NAME", application);
                try (PythonExample service = PythonExample.start(env,
                        List.of("--seconds", "25", "--workers", "6", "--hold-seconds", "12", "--hold-lock", "--max-errors",
                                "0"))) {
                    await("pgbouncer-clients-waiting fires at the receiver",
                            () -> !notifications(hook, "pgbouncer-clients-waiting", "firing").isEmpty(),
                            () -> get(app, "/api/v1/pgbouncers/edge") + "\n" + get(app, "/api/v1/alerts") + "\n" + output(app));
                    JsonNode firing = notifications(hook, "pgbouncer-clients-waiting", "firing").get(0);
                    JsonNode alert = firing.path("alerts").get(0);
                    assertEquals("edge", alert.path("labels").path("pgbouncer").asText(), firing.toString());
                    assertEquals(PgBouncerServer.DATABASE, alert.path("labels").path("database").asText(), firing.toString());
                    assertTrue(
                            alert.path("annotations").path("summary").asText()
                                    .startsWith("pgbouncer-clients-waiting on PgBouncer edge pool "),
                            firing.toString());
                    WebhookHook.Request signed = hook.requests.stream()
                            .filter(r -> r.text().contains("pgbouncer-clients-waiting")).findFirst()
                            .orElseThrow();
                    assertEquals(
                            WebhookKeys.expectedSignature(WebhookKeys.KEY_A, signed.id(), signed.header("webhook-timestamp"),
                                    signed.body()),
                            signed.header("webhook-signature"), "signed as every notification");

                    // While it waits: the overview shows the application's sessions and the blocking of its workers.
                    await("the overview shows the application and a blocked session",
                            () -> {
                                String overview = get(app, "/");
                                return overview.contains("data-application=\"mingus\"")
                                        && overview.contains("id=\"pgbouncer-edge\"")
                                        && get(app, "/api/v1/blocking").contains(application);
                            },
                            () -> get(app, "/api/v1/applications") + "\n" + get(app, "/api/v1/blocking"));
                    String applications = get(app, "/api/v1/applications/mingus");
                    assertTrue(applications.contains("\"sessions\":") && !applications.contains("\"sessions\":0,"),
                            applications);
                    String page = get(app, "/blocking");
                    assertTrue(page.contains(application), "the blocking page names the application's sessions");
                    assertTrue(
                            !page.contains("balance = balance + 1 WHERE id = 0")
                                    && !get(app, "/api/v1/blocking").contains("id = 0"),
                            "literals are masked");
                    given().baseUri(app.baseUri()).when().get("/q/health/ready").then().statusCode(200);

                    PythonExample.Result result = service.await(90);
                    assertEquals(0, result.exitCode(), result.stderr());
                    assertTrue(result.summary().path("transactions").asInt() > 0, result.summary().toString());
                }

                await("pgbouncer-clients-waiting resolves at the receiver",
                        () -> !notifications(hook, "pgbouncer-clients-waiting", "resolved").isEmpty(),
                        () -> get(app, "/api/v1/pgbouncers/edge") + "\n" + get(app, "/api/v1/alerts"));
                JsonNode resolved = notifications(hook, "pgbouncer-clients-waiting", "resolved").get(0);
                assertEquals(
                        notifications(hook, "pgbouncer-clients-waiting", "firing").get(0).path("alerts").get(0)
                                .path("fingerprint").asText(),
                        resolved.path("alerts").get(0).path("fingerprint").asText(), "the same alert resolves");

                // PgBouncer going away is shown as down, never as zeros, and still does not touch readiness.
                bouncer.stop();
                await("PgBouncer edge shows as down", () -> get(app, "/api/v1/pgbouncers/edge").contains("\"up\":false"),
                        () -> get(app, "/api/v1/pgbouncers/edge"));
                given().baseUri(app.baseUri()).when().get("/q/health/ready").then().statusCode(200);
                app.terminate(Duration.ofSeconds(30));
            }
        }
    }
}
