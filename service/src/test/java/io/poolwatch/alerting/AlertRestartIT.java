package io.poolwatch.alerting;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.testing.Await;
import io.poolwatch.testing.FlagCheck;
import io.poolwatch.testing.PoolwatchProcess;
import io.poolwatch.testing.TestDatabases;
import io.poolwatch.testing.WebhookHook;
import io.poolwatch.testing.WebhookKeys;

/**
 * Alerts keep their identity across restarts of the packaged jar, with the outbox (and the alert state beside it) in a
 * real PostgreSQL database of this test's own. Two alerts fire: a consistency check's (the cluster's, notified by the
 * holder of the cluster's jobs) and leaked-connections with threshold 0 (this process's own). Then:
 * <ol>
 * <li>the first notification goes out group-wait after the alert fires, not at the next evaluation;</li>
 * <li>restarted with the alerts still firing: no notification again (no new webhook-id within a window far shorter than
 * repeat-interval), and {@code GET /api/v1/alerts} shows the same fingerprints and startsAt;</li>
 * <li>stopped, the causes removed (the check's flag row deleted, the threshold raised), started: the resolutions arrive,
 * with the first startsAt and an endsAt after the start.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertRestartIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final String DATABASE = "poolwatch_alert_restart_it";
    private static final String FLAG = "alert_restart_flag";
    private static final Duration EVALUATION = Duration.ofSeconds(10);
    private static final Duration GROUP_WAIT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void sql(String statement) throws SQLException {
        TestDatabases.postgres().execute(DATABASE, statement);
    }

    @BeforeAll
    static void aDatabaseOfItsOwn() throws SQLException {
        TestDatabases.postgres().freshDatabase(DATABASE);
        sql("CREATE TABLE " + FLAG + " (id INT)");
    }

    @AfterAll
    static void dropIt() throws SQLException {
        TestDatabases.postgres().dropDatabase(DATABASE);
    }

    private static Map<String, String> env() {
        TestDatabases.Server pg = TestDatabases.postgres();
        return Map.of("DATABASE_URL",
                pg.seedUrl(DATABASE));
    }

    private static Map<String, String> properties(int hookPort, int leakThreshold) {
        Map<String, String> p = new HashMap<>(FlagCheck.properties(FLAG));
        String leaks = "poolwatch.alerting.rules.\"leaked-connections\".";
        p.put(leaks + "threshold", Integer.toString(leakThreshold));
        p.put(leaks + "keep-firing-for", "0s");
        String r = "poolwatch.alerting.receivers.ops.";
        p.put(r + "url", WebhookHook.url(hookPort).toString());
        p.put(r + "secret", WebhookKeys.KEY_A);
        p.put("poolwatch.alerting.instance", "restart-it");
        p.put("poolwatch.alerting.evaluation-interval", EVALUATION.toMillis() + "ms");
        p.put("poolwatch.alerting.group-wait", GROUP_WAIT.toMillis() + "ms");
        p.put("poolwatch.alerting.group-interval", "1s");
        p.put("poolwatch.alerting.outbox.workload", "main");
        p.put("poolwatch.alerting.outbox.initial-backoff", "200ms");
        p.put("poolwatch.alerting.outbox.max-backoff", "1s");
        p.put("poolwatch.alerting.outbox.poll-interval", "200ms");
        return p;
    }

    private static JsonNode body(WebhookHook.Request r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String alertname(WebhookHook.Request r) {
        return body(r).get("groupLabels").path("alertname").asText();
    }

    /** The notifications of one alert name, in arrival order. */
    private static List<WebhookHook.Request> of(WebhookHook hook, String alertname) {
        return hook.requests.stream().filter(r -> alertname.equals(alertname(r))).toList();
    }

    /** fingerprint -> startsAt of the alerts the notification carries. */
    private static Map<String, Instant> startsAt(WebhookHook.Request r) {
        Map<String, Instant> out = new LinkedHashMap<>();
        body(r).get("alerts").forEach(a -> out.put(a.get("fingerprint").asText(), Instant.parse(a.get("startsAt").asText())));
        return out;
    }

    /** fingerprint -> startsAt of the firing alerts GET /api/v1/alerts lists with this alert name. */
    private static Map<String, Instant> listed(PoolwatchProcess app, String alertname) throws Exception {
        JsonNode list = JSON.readTree(
                given().baseUri(app.baseUri()).when().get("/api/v1/alerts?state=firing").then().statusCode(200).extract()
                        .asString());
        Map<String, Instant> out = new LinkedHashMap<>();
        list.get("alerts").forEach(a -> {
            if (alertname.equals(a.get("labels").get("alertname").asText())) {
                out.put(a.get("fingerprint").asText(), Instant.parse(a.get("startsAt").asText()));
            }
        });
        return out;
    }

    private static PoolwatchProcess started(int hookPort, int leakThreshold) throws Exception {
        return PoolwatchProcess.started(env(), properties(hookPort, leakThreshold), START);
    }

    // The three runs share one database and continue from each other, in order.
    private static int receiverPort;
    private static Map<String, Instant> check;
    private static Map<String, Instant> leaks;

    @Test
    @Order(1)
    void firingAlertsAreNotifiedOnceGroupWaitAfterTheyFire() throws Exception {
        sql("INSERT INTO " + FLAG + " VALUES (1)");
        receiverPort = WebhookHook.freePort();
        Duration afterFiring;

        // Run 1: both alerts fire and are notified, each once.
        try (WebhookHook hook = WebhookHook.start(receiverPort); PoolwatchProcess app = started(receiverPort, 0)) {
            Instant[] arrived = new Instant[1];
            Await.within("the first consistency-check notification", START, () -> {
                if (!of(hook, "consistency-check").isEmpty()) {
                    arrived[0] = Instant.now();
                    return true;
                }
                return false;
            });
            Await.within("the first leaked-connections notification", Duration.ofSeconds(30),
                    () -> !of(hook, "leaked-connections").isEmpty());
            WebhookHook.Request firstCheck = of(hook, "consistency-check").get(0);
            assertEquals("firing", body(firstCheck).get("status").asText());
            check = startsAt(firstCheck);
            leaks = startsAt(of(hook, "leaked-connections").get(0));
            assertEquals(1, check.size());
            assertFalse(leaks.isEmpty());

            afterFiring = Duration.between(check.values().iterator().next(), arrived[0]);
            System.out.println(
                    "AlertRestartIT: the first notification arrived " + afterFiring.toMillis() + " ms after the alert fired");

            assertEquals(check, listed(app, "consistency-check"));
            assertEquals(leaks, listed(app, "leaked-connections"));
            Thread.sleep(2000);
            assertEquals(1, of(hook, "consistency-check").size(), "one notification while it keeps firing: " + hook.ids());
            assertEquals(1, of(hook, "leaked-connections").size(), "one notification while it keeps firing: " + hook.ids());
            app.terminate(Duration.ofSeconds(30));
        }
        // group-wait is honoured though shorter than the evaluation interval: the notification arrives group-wait
        // after the alert fired, well before the next evaluation (bounds kept wide: this is not a speed test).
        assertTrue(afterFiring.compareTo(GROUP_WAIT.minusMillis(200)) >= 0, "not before group-wait: " + afterFiring);
        assertTrue(afterFiring.compareTo(EVALUATION.minusSeconds(2)) < 0,
                "sent group-wait (" + GROUP_WAIT + ") after firing, not at the next evaluation (" + EVALUATION + "): "
                        + afterFiring);
    }

    @Test
    @Order(2)
    void restartedWhileFiringTheSameAlertsAndNoNotificationAgain() throws Exception {
        Assumptions.assumeTrue(check != null && leaks != null, "run 1 notified both alerts");
        // Run 2: restarted with both still firing: the same alerts, nothing sent again.
        try (WebhookHook hook = WebhookHook.start(receiverPort); PoolwatchProcess app = started(receiverPort, 0)) {
            Await.within("the first evaluation after the restart lists the alerts", START,
                    () -> !uncheckedListed(app, "consistency-check").isEmpty()
                            && !uncheckedListed(app, "leaked-connections").isEmpty());
            assertEquals(check, listed(app, "consistency-check"), "the same fingerprint and startsAt after a restart");
            assertEquals(leaks, listed(app, "leaked-connections"), "the same fingerprints and startsAt after a restart");
            // Two more evaluations and many group intervals; repeat-interval (4h) is far off.
            Thread.sleep(EVALUATION.multipliedBy(2).plusSeconds(1).toMillis());
            assertEquals(List.of(), hook.ids(),
                    "no notification again after a restart: " + hook.requests.stream().map(AlertRestartIT::alertname)
                            .collect(Collectors.toList()));
            assertEquals(check, listed(app, "consistency-check"));
            app.terminate(Duration.ofSeconds(30));
        }
    }

    @Test
    @Order(3)
    void clearedWhileStoppedTheResolutionWithTheFirstStartsAt() throws Exception {
        Assumptions.assumeTrue(check != null && leaks != null, "run 1 notified both alerts");
        // Run 3: the causes went away while poolwatch was stopped: the resolutions, with the first startsAt.
        sql("DELETE FROM " + FLAG);
        Instant restarted = Instant.now();
        try (WebhookHook hook = WebhookHook.start(receiverPort); PoolwatchProcess app = started(receiverPort, 5)) {
            Await.within("the resolutions of both alerts", START,
                    () -> !of(hook, "consistency-check").isEmpty() && !of(hook, "leaked-connections").isEmpty());
            for (String name : List.of("consistency-check", "leaked-connections")) {
                List<WebhookHook.Request> got = of(hook, name);
                assertEquals(1, got.size(), name + ": one notification: " + hook.ids());
                JsonNode resolved = body(got.get(0));
                assertEquals("resolved", resolved.get("status").asText(), name);
                assertEquals(name.equals("consistency-check") ? check : leaks, startsAt(got.get(0)),
                        name + ": the first fingerprints and startsAt");
                resolved.get("alerts").forEach(a -> {
                    assertEquals("resolved", a.get("status").asText());
                    assertTrue(!Instant.parse(a.get("endsAt").asText()).isBefore(restarted.minusSeconds(1)),
                            "endsAt is when the restarted poolwatch found it resolved: " + a);
                });
            }
            Set<String> ids = Set.copyOf(hook.ids());
            assertEquals(hook.ids().size(), ids.size(), "no id twice");
            app.terminate(Duration.ofSeconds(30));
        }
    }

    private static Map<String, Instant> uncheckedListed(PoolwatchProcess app, String alertname) {
        try {
            return listed(app, alertname);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
