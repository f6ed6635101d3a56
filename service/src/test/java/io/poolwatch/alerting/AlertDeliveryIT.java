package io.poolwatch.alerting;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.testing.Await;
import io.poolwatch.testing.PoolwatchProcess;
import io.poolwatch.testing.TestDatabases;
import io.poolwatch.testing.WebhookHook;
import io.poolwatch.testing.WebhookKeys;

/**
 * Alerting end to end on the packaged jar: a consistency check breaks and recovers, a real receiver on loopback gets
 * exactly one signed firing and one resolved notification; then, with the receiver down, poolwatch is restarted and
 * delivers the notification it could not send, with the same webhook-id, once.
 */
class AlertDeliveryIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final String FLAG = "alert_e2e_flag";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void sql(String statement) throws SQLException {
        try (Connection c = TestDatabases.postgres().connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private static Map<String, String> properties(int hookPort, Path outbox) {
        Map<String, String> p = new HashMap<>();
        String check = "poolwatch.consistency.checks.flag.";
        p.put(check + "kind", "sql");
        p.put(check + "sql", "SELECT COUNT(*) FROM " + FLAG);
        p.put(check + "workload", "main");
        p.put(check + "schedule", "1s");
        p.put(check + "severity", "critical");
        p.put("poolwatch.consistency.initial-delay", "0s");
        String r = "poolwatch.alerting.receivers.ops.";
        p.put(r + "url", WebhookHook.url(hookPort).toString());
        p.put(r + "secret", WebhookKeys.KEY_A);
        p.put("poolwatch.alerting.evaluation-interval", "500ms");
        p.put("poolwatch.alerting.group-wait", "0s");
        p.put("poolwatch.alerting.group-interval", "1s");
        p.put("poolwatch.alerting.outbox.path", outbox.toString());
        p.put("poolwatch.alerting.outbox.initial-backoff", "200ms");
        p.put("poolwatch.alerting.outbox.max-backoff", "1s");
        p.put("poolwatch.alerting.outbox.poll-interval", "200ms");
        return p;
    }

    /** The consistency-check notifications the hook received, in order. */
    private static List<WebhookHook.Request> checkNotifications(WebhookHook hook) {
        return hook.requests.stream().filter(r -> r.text().contains("\"alertname\":\"consistency-check\"")).toList();
    }

    private static JsonNode body(WebhookHook.Request r) {
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String outputOf(PoolwatchProcess app) {
        try {
            return app.output();
        } catch (java.io.IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Test
    void firingThenResolvedSignedOnceEachThenDeliveredAfterARestart() throws Exception {
        sql("CREATE TABLE IF NOT EXISTS " + FLAG + " (id INT)");
        sql("DELETE FROM " + FLAG);
        Path outbox = Files.createTempDirectory("poolwatch-outbox-it");
        int hookPort = WebhookHook.freePort();
        Map<String, String> env = Map.of("DATABASE_URL", TestDatabases.postgres().seedUrl());
        String pendingId;

        try (WebhookHook hook = WebhookHook.start(hookPort);
                PoolwatchProcess app = PoolwatchProcess.start(env, properties(hookPort, outbox))) {
            app.awaitStarted(START).orElseThrow(() -> new AssertionError(outputOf(app)));

            sql("INSERT INTO " + FLAG + " VALUES (1)");
            Await.until("a firing notification", () -> checkNotifications(hook).size() == 1);
            WebhookHook.Request firing = checkNotifications(hook).get(0);
            JsonNode fired = body(firing);
            assertEquals("firing", fired.get("status").asText());
            assertEquals("4", fired.get("version").asText());
            assertEquals("flag", fired.get("alerts").get(0).get("labels").get("check").asText());
            assertEquals("critical", fired.get("alerts").get(0).get("labels").get("severity").asText());
            assertEquals(WebhookKeys.expectedSignature(WebhookKeys.KEY_A, firing.id(), firing.header("webhook-timestamp"),
                    firing.body()), firing.header("webhook-signature"));

            // The condition holds for several evaluations and group intervals: still one notification.
            Thread.sleep(2500);
            assertEquals(1, checkNotifications(hook).size(), "one notification while the alert keeps firing");

            sql("DELETE FROM " + FLAG);
            Await.until("a resolved notification", () -> checkNotifications(hook).size() == 2);
            WebhookHook.Request resolved = checkNotifications(hook).get(1);
            JsonNode done = body(resolved);
            assertEquals("resolved", done.get("status").asText());
            assertEquals("resolved", done.get("alerts").get(0).get("status").asText());
            assertEquals(fired.get("alerts").get(0).get("fingerprint").asText(), done.get("alerts").get(0).get("fingerprint").asText());
            assertTrue(!resolved.id().equals(firing.id()), "each notification has its own id");
            assertEquals(WebhookKeys.expectedSignature(WebhookKeys.KEY_A, resolved.id(), resolved.header("webhook-timestamp"),
                    resolved.body()), resolved.header("webhook-signature"));
            Thread.sleep(1500);
            assertEquals(2, checkNotifications(hook).size(), "nothing more once resolved");

            // The receiver goes down; the check breaks again; the notification cannot be delivered.
            hook.close();
            sql("INSERT INTO " + FLAG + " VALUES (2)");
            Await.until("an attempt that failed", () -> given().baseUri(app.baseUri()).when()
                    .get("/api/v1/audit?type=notification.attempt").then().extract().asString().contains("\"retry\""));
            pendingId = given().baseUri(app.baseUri()).when().get("/api/v1/audit?type=notification.attempt").then().extract()
                    .jsonPath().getString("find { it.outcome == 'retry' && it.groupKey.contains('consistency-check') }.notification");
            assertTrue(pendingId != null && !pendingId.isBlank(), "the retried notification's id");
            app.terminate(Duration.ofSeconds(30));
        }

        // Receiver back, poolwatch restarted on the same outbox: the notification is delivered, once, with its id.
        try (WebhookHook hook = WebhookHook.start(hookPort);
                PoolwatchProcess app = PoolwatchProcess.start(env, properties(hookPort, outbox))) {
            app.awaitStarted(START).orElseThrow(() -> new AssertionError(outputOf(app)));
            String id = pendingId;
            Await.until("the pending notification delivered after the restart", () -> hook.ids().contains(id));
            Thread.sleep(1500);
            assertEquals(1, hook.ids().stream().filter(id::equals).count(), "delivered once: " + hook.ids());
            assertEquals(hook.ids().size(), hook.ids().stream().distinct().count(), "no id twice: " + hook.ids());
            WebhookHook.Request r = hook.requests.stream().filter(x -> id.equals(x.id())).findFirst().orElseThrow();
            assertEquals("firing", body(r).get("status").asText());
            // the audit log kept the first run's attempts in the outbox: the failed one is still listed after the restart
            String audit = given().baseUri(app.baseUri()).when().get("/api/v1/audit?type=notification.attempt&limit=1000").then().statusCode(200)
                    .extract().asString();
            assertTrue(audit.contains("\"retry\"") && audit.contains(id), "the first run's attempts survive the restart: " + audit);
            app.terminate(Duration.ofSeconds(30));
        } finally {
            sql("DROP TABLE IF EXISTS " + FLAG);
        }
    }
}
