package io.poolwatch.alerting;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.testing.AlertmanagerServer;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.FlagCheck;
import io.poolwatch.testing.PoolwatchProcess;
import io.poolwatch.testing.TestDatabases;
import io.poolwatch.testing.WebhookHook;
import io.restassured.http.ContentType;

/**
 * The whole path from a rule to Alertmanager to its receiver, with the packaged jar, a real PostgreSQL database of this
 * test's own and two real Alertmanagers (Debian's 0.25), each routing to a webhook on loopback. A consistency check on a
 * flag table fires a critical alert; poolwatch's Alertmanager receiver lists both Alertmanagers. In order:
 * <ol>
 * <li>the alert appears in both Alertmanagers' API with its labels, and reaches both Alertmanagers' receivers;</li>
 * <li>{@code GET /api/v1/alerts/receivers} shows the receiver's type, its URLs and each one's delivery;</li>
 * <li>silenced in poolwatch, it is still posted to Alertmanager (silences for Alertmanager are Alertmanager's);</li>
 * <li>one Alertmanager is stopped for longer than a resend-interval and started again, empty, on the same port: the
 * other keeps the alert active throughout, the restarted one gets it back, nothing resolves;</li>
 * <li>poolwatch is stopped and started again: the restarted process posts the alert again before it could lapse;
 * neither Alertmanager loses it or resolves it meanwhile;</li>
 * <li>the flag cleared, the alert resolves in both Alertmanagers and their receivers hear of it.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertmanagerIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final String DATABASE = "poolwatch_alertmanager_it";
    private static final String FLAG = "alertmanager_flag";
    private static final Duration EVALUATION = Duration.ofSeconds(1);
    /**
     * Long enough that endsAt, 4 of them ahead, outlasts a restart of poolwatch on a busy machine (17.7 to 21.8 s measured).
     */
    private static final Duration RESEND = Duration.ofSeconds(15);
    private static final String EXTERNAL = "http://poolwatch.example:8080";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> LABELS = Map.of("alertname", "consistency-check", "check", "flag");

    private static WebhookHook hook0;
    private static WebhookHook hook1;
    private static AlertmanagerServer am0;
    private static AlertmanagerServer am1;
    private static Path outbox;
    private static PoolwatchProcess app;
    private static boolean firing;

    private static void sql(String statement) throws SQLException {
        TestDatabases.postgres().execute(DATABASE, statement);
    }

    @BeforeAll
    static void databaseAlertmanagersAndTheirReceivers() throws Exception {
        Assumptions.assumeTrue(AlertmanagerServer.available(), "Debian's prometheus-alertmanager is not installed");
        TestDatabases.postgres().freshDatabase(DATABASE);
        sql("CREATE TABLE " + FLAG + " (id INT)");
        hook0 = WebhookHook.start();
        hook1 = WebhookHook.start();
        am0 = AlertmanagerServer.builder().webhook(hook0.url()).start();
        am1 = AlertmanagerServer.builder().webhook(hook1.url()).start();
        outbox = Files.createTempDirectory("alertmanager-it-outbox-");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] { app, am1, am0, hook1, hook0 }) {
            if (c != null) {
                c.close();
            }
        }
        if (outbox != null) {
            try (Stream<Path> files = Files.walk(outbox)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        TestDatabases.postgres().dropDatabase(DATABASE);
    }

    private static Map<String, String> env() {
        TestDatabases.Server pg = TestDatabases.postgres();
        return Map.of("DATABASE_URL",
                pg.seedUrl(DATABASE));
    }

    private static Map<String, String> properties() {
        Map<String, String> p = new HashMap<>(FlagCheck.properties(FLAG));
        p.put("poolwatch.alerting.rules.\"consistency-check\".keep-firing-for", "0s");
        String r = "poolwatch.alerting.receivers.am.";
        p.put(r + "type", "alertmanager");
        p.put(r + "url", am0.baseUrl() + "," + am1.baseUrl());
        p.put(r + "resend-interval", RESEND.toSeconds() + "s");
        p.put(r + "timeout", "2s");
        p.put("poolwatch.alerting.instance", "alertmanager-it");
        p.put("poolwatch.alerting.external-url", EXTERNAL);
        p.put("poolwatch.alerting.evaluation-interval", EVALUATION.toMillis() + "ms");
        p.put("poolwatch.alerting.outbox.path", outbox.toString());
        p.put("poolwatch.alerting.outbox.initial-backoff", "200ms");
        p.put("poolwatch.alerting.outbox.max-backoff", "1s");
        p.put("poolwatch.alerting.outbox.poll-interval", "200ms");
        return p;
    }

    private static PoolwatchProcess started() throws Exception {
        return PoolwatchProcess.started(env(), properties(), START);
    }

    /** The alert as an Alertmanager lists it, or null. */
    private static JsonNode listed(AlertmanagerServer am) {
        List<JsonNode> found = am.alertsWith(LABELS);
        return found.isEmpty() ? null : found.get(0);
    }

    private static Instant updatedAt(AlertmanagerServer am) {
        JsonNode a = listed(am);
        return a == null ? Instant.EPOCH : Instant.parse(a.path("updatedAt").asText());
    }

    /** The statuses Alertmanager notified its receiver of for the alert, in order. */
    private static List<String> notified(WebhookHook hook) {
        List<String> out = new ArrayList<>();
        for (WebhookHook.Request r : hook.requests) {
            try {
                JSON.readTree(r.body()).path("alerts").forEach(a -> {
                    if ("flag".equals(a.path("labels").path("check").asText())) {
                        out.add(a.path("status").asText());
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static JsonNode get(String path) throws Exception {
        return JSON.readTree(given().baseUri(app.baseUri()).when().get(path).then().statusCode(200).extract().asString());
    }

    /**
     * Samples both Alertmanagers until closed, recording every sample in which one that runs does not list the alert
     * though it had it since it last started: once an Alertmanager has the alert, it must not lose it.
     */
    private static final class Watch implements AutoCloseable {
        final List<String> missing = new CopyOnWriteArrayList<>();
        volatile int samples;
        private volatile boolean stop;
        /** The start of each Alertmanager at which it was last seen listing the alert. */
        private final Map<AlertmanagerServer, Integer> had = new HashMap<>();
        private final Thread thread = new Thread(this::run, "alertmanager-watch");

        Watch() {
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (!stop) {
                for (AlertmanagerServer am : List.of(am0, am1)) {
                    int start = am.starts();
                    boolean listed = listed(am) != null;
                    // running() waits for a stop or start in progress; a sample taken across one does not count.
                    if (!am.running() || am.starts() != start) {
                        continue;
                    }
                    if (listed) {
                        had.put(am, start);
                    } else if (had.getOrDefault(am, -1) == start) {
                        missing.add(Instant.now() + " at " + am.baseUrl());
                    }
                }
                samples++;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(5_000);
        }
    }

    @Test
    @Order(1)
    void aFiringCheckReachesBothAlertmanagersWithItsLabelsAndTheirReceivers() throws Exception {
        sql("INSERT INTO " + FLAG + " VALUES (1)");
        app = started();
        for (AlertmanagerServer am : List.of(am0, am1)) {
            Await.within("the alert listed by the Alertmanager at " + am.baseUrl(), START, () -> listed(am) != null);
            JsonNode a = listed(am);
            assertEquals("consistency-check", a.path("labels").path("alertname").asText());
            assertEquals("flag", a.path("labels").path("check").asText());
            assertEquals("critical", a.path("labels").path("severity").asText());
            assertEquals("alertmanager-it", a.path("labels").path("instance").asText());
            assertTrue(
                    a.path("annotations").path("summary").asText()
                            .startsWith("consistency-check on check flag: the latest run failed"),
                    a.toString());
            assertEquals(EXTERNAL + "/checks#flag", a.path("generatorURL").asText(), "a link to the dashboard");
            assertEquals("active", a.path("status").path("state").asText());
            Instant endsAt = Instant.parse(a.path("endsAt").asText());
            assertTrue(endsAt.isAfter(Instant.now().plus(RESEND)), "endsAt several resend-intervals ahead: " + endsAt);
        }
        JsonNode alerts = get("/api/v1/alerts?state=firing");
        List<String> startsAt = new ArrayList<>();
        alerts.get("alerts").forEach(a -> {
            if ("flag".equals(a.path("labels").path("check").asText())) {
                startsAt.add(a.get("startsAt").asText());
            }
        });
        assertEquals(List.of(Instant.parse(startsAt.get(0))), List.of(Instant.parse(listed(am0).path("startsAt").asText())),
                "Alertmanager has poolwatch's startsAt");
        for (WebhookHook hook : List.of(hook0, hook1)) {
            Await.within("Alertmanager's receiver notified", Duration.ofSeconds(10), () -> notified(hook).contains("firing"));
        }
        firing = true;
    }

    @Test
    @Order(2)
    void theReceiversEndpointShowsTheAlertmanagersAndEachOnesDelivery() throws Exception {
        Assumptions.assumeTrue(firing, "the alert fired");
        JsonNode r = get("/api/v1/alerts/receivers").get(0);
        assertEquals("am", r.get("name").asText());
        assertEquals("alertmanager", r.get("type").asText());
        assertEquals(am0.baseUrl() + ", " + am1.baseUrl(), r.get("url").asText());
        assertEquals("15s", r.get("resendInterval").asText());
        assertEquals(0, r.get("signed").asInt());
        assertEquals("none", r.get("authentication").asText());
        assertEquals(2, r.get("alertmanagers").size());
        for (int i = 0; i < 2; i++) {
            JsonNode one = r.get("alertmanagers").get(i);
            assertEquals((i == 0 ? am0 : am1).baseUrl(), one.get("url").asText());
            assertEquals("am#" + (i + 1), one.get("queue").asText());
            assertTrue(one.path("delivery").path("delivered").asLong() >= 1, one.toString());
            assertEquals(0, one.path("delivery").path("consecutiveFailures").asInt(), one.toString());
            assertFalse(one.path("delivery").path("lastSuccess").isNull(), one.toString());
        }
        assertTrue(r.path("delivery").path("delivered").asLong() >= 2, "both Alertmanagers' deliveries together: " + r);
    }

    @Test
    @Order(3)
    void silencedInPoolwatchTheAlertIsStillPostedToAlertmanager() throws Exception {
        Assumptions.assumeTrue(firing, "the alert fired");
        String id = given().baseUri(app.baseUri()).contentType(ContentType.JSON)
                .body("{\"matchers\": [{\"name\": \"check\", \"value\": \"flag\"}], \"duration\": \"1h\", \"createdBy\": \"alertmanager-it\", "
                        + "\"comment\": \"silenced in poolwatch only\"}")
                .when().post("/api/v1/silences").then().statusCode(201).extract().path("id");
        Await.within("the silence applied to the alert", Duration.ofSeconds(10), () -> {
            try {
                for (JsonNode a : get("/api/v1/alerts?state=firing").get("alerts")) {
                    if ("flag".equals(a.path("labels").path("check").asText())
                            && a.path("silencedBy").toString().contains(id)) {
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Instant silenced = Instant.now();
        // The next resend (within one resend-interval) still carries it: Alertmanager keeps it active and unsilenced.
        for (AlertmanagerServer am : List.of(am0, am1)) {
            Await.within("a post after the silence at " + am.baseUrl(), RESEND.plusSeconds(10),
                    () -> updatedAt(am).isAfter(silenced));
            JsonNode a = listed(am);
            assertEquals("active", a.path("status").path("state").asText());
            assertEquals(0, a.path("status").path("silencedBy").size());
        }
        assertEquals(List.of("firing"), notified(hook0), "no resolution at Alertmanager's receiver");
        assertEquals(List.of("firing"), notified(hook1));
    }

    @Test
    @Order(4)
    void anAlertmanagerDownForAWhileGetsTheAlertBackAndNothingResolves() throws Exception {
        Assumptions.assumeTrue(firing, "the alert fired");
        Instant before = updatedAt(am0);
        try (Watch watch = new Watch()) {
            am1.stop();
            Instant stopped = Instant.now();
            // Longer than a resend-interval: poolwatch tries am1 and fails, while am0 keeps getting the resends.
            Await.within("am1's failures shown and am0 resent to", RESEND.plusSeconds(15), () -> {
                try {
                    JsonNode r = get("/api/v1/alerts/receivers").get(0);
                    return r.get("alertmanagers").get(1).path("delivery").path("consecutiveFailures").asInt() > 0
                            && updatedAt(am0).isAfter(stopped);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            JsonNode r = get("/api/v1/alerts/receivers").get(0);
            JsonNode down = r.get("alertmanagers").get(1).get("delivery");
            assertTrue(down.path("lastError").asText().contains("connect"), down.toString());
            assertTrue(r.get("delivery").path("consecutiveFailures").asInt() > 0,
                    "the receiver shows its worst Alertmanager: " + r);
            assertEquals(0, r.get("alertmanagers").get(0).path("delivery").path("consecutiveFailures").asInt(),
                    "one Alertmanager down holds up none of the others: " + r);
            assertTrue(updatedAt(am0).isAfter(before));

            // Back on the same port as a new Alertmanager, its storage empty and no alerts: the alert comes back.
            am1.wipeStorage();
            am1.start();
            Await.within("the alert back at the restarted Alertmanager", RESEND.plusSeconds(10), () -> listed(am1) != null);
            Await.within("the restarted Alertmanager notifies its receiver", Duration.ofSeconds(10),
                    () -> notified(hook1).size() == 2);
            assertTrue(watch.samples > 10, "sampled " + watch.samples + " times");
            assertEquals(List.of(), watch.missing, "never missing from a running Alertmanager");
        }
        assertEquals(List.of("firing", "firing"), notified(hook1), "nothing resolved at the restarted Alertmanager");
        assertEquals(List.of("firing"), notified(hook0),
                "one notification at the Alertmanager that stayed up: the alert never lapsed there");
    }

    @Test
    @Order(5)
    void restartedPoolwatchPostsTheAlertAgainBeforeItCouldLapse() throws Exception {
        Assumptions.assumeTrue(firing, "the alert fired");
        Instant lastBefore;
        Instant restarted;
        try (Watch watch = new Watch()) {
            // Stopped right after a post, so the restart has the whole endsAt (4 resend-intervals) to post again in.
            Instant previous = updatedAt(am0);
            Await.within("a resend", RESEND.plusSeconds(10), () -> updatedAt(am0).isAfter(previous));
            lastBefore = updatedAt(am0);
            app.terminate(Duration.ofSeconds(30));
            app.close();
            app = null;
            restarted = Instant.now();
            app = started();
            Await.within("the restarted poolwatch's post at both Alertmanagers", RESEND.plusSeconds(10),
                    () -> updatedAt(am0).isAfter(restarted) && updatedAt(am1).isAfter(restarted));
            assertTrue(watch.samples > 10, "sampled " + watch.samples + " times");
            assertEquals(List.of(), watch.missing, "never missing from either Alertmanager during the restart");
        }
        Instant reposted = updatedAt(am0);
        System.out.println("AlertmanagerIT: the restarted poolwatch posted " + Duration.between(lastBefore, reposted).toMillis()
                + " ms after the old one's last post (endsAt was " + RESEND.multipliedBy(4).toSeconds() + " s ahead)");
        JsonNode a = listed(am0);
        assertNotNull(a);
        assertTrue(Instant.parse(a.path("endsAt").asText()).isAfter(reposted.plus(RESEND.multipliedBy(3))),
                "endsAt renewed: " + a);
        assertEquals(List.of("firing"), notified(hook0),
                "the same alert to Alertmanager: nothing notified again, nothing resolved");
        assertEquals(List.of("firing", "firing"), notified(hook1));
    }

    @Test
    @Order(6)
    void theResolutionReachesBothAlertmanagersAndTheirReceivers() throws Exception {
        Assumptions.assumeTrue(firing && app != null, "the alert fired and poolwatch runs");
        Instant cleared = Instant.now();
        sql("DELETE FROM " + FLAG);
        for (AlertmanagerServer am : List.of(am0, am1)) {
            Await.within("the alert resolved at " + am.baseUrl(), Duration.ofSeconds(20), () -> listed(am) == null);
        }
        Await.within("both receivers told of the resolution", Duration.ofSeconds(10),
                () -> notified(hook0).contains("resolved") && notified(hook1).contains("resolved"));
        assertEquals(List.of("firing", "resolved"), notified(hook0));
        assertEquals(List.of("firing", "firing", "resolved"), notified(hook1));
        JsonNode last = JSON.readTree(hook0.requests.get(hook0.requests.size() - 1).body()).get("alerts").get(0);
        Instant endsAt = Instant.parse(last.path("endsAt").asText());
        assertTrue(!endsAt.isBefore(cleared.minusSeconds(1)) && endsAt.isBefore(Instant.now()),
                "endsAt is when it resolved: " + endsAt);
        app.terminate(Duration.ofSeconds(30));
    }
}
