package io.poolwatch.alerting;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.poolwatch.testing.Await;
import io.poolwatch.testing.FlagCheck;
import io.poolwatch.testing.PoolwatchProcess;
import io.poolwatch.testing.TestDatabases;
import io.poolwatch.testing.WebhookHook;
import io.poolwatch.testing.WebhookKeys;

/**
 * Alerting end to end on the packaged jar: a consistency check breaks and recovers, a real receiver on loopback gets
 * exactly one signed firing and one resolved notification; then, with the receiver down, poolwatch is restarted and
 * delivers the notification it could not send, with the same webhook-id, once. And poolwatch killed with SIGKILL in the
 * middle of a send: after the restart the interrupted notification is sent again, counted as the second attempt, and
 * the receiver's newer notifications wait no longer than its retry backoff.
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
        Map<String, String> p = new HashMap<>(FlagCheck.properties(FLAG));
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
        } catch (IOException e) {
            throw new IllegalStateException(e);
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
            app.startedWithin(START);

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
            assertEquals(fired.get("alerts").get(0).get("fingerprint").asText(),
                    done.get("alerts").get(0).get("fingerprint").asText());
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
                    .jsonPath()
                    .getString("find { it.outcome == 'retry' && it.groupKey.contains('consistency-check') }.notification");
            assertTrue(pendingId != null && !pendingId.isBlank(), "the retried notification's id");
            app.terminate(Duration.ofSeconds(30));
        }

        // Receiver back, poolwatch restarted on the same outbox: the notification is delivered, once, with its id.
        try (WebhookHook hook = WebhookHook.start(hookPort);
                PoolwatchProcess app = PoolwatchProcess.start(env, properties(hookPort, outbox))) {
            app.startedWithin(START);
            String id = pendingId;
            Await.until("the pending notification delivered after the restart", () -> hook.ids().contains(id));
            Thread.sleep(1500);
            assertEquals(1, hook.ids().stream().filter(id::equals).count(), "delivered once: " + hook.ids());
            assertEquals(hook.ids().size(), hook.ids().stream().distinct().count(), "no id twice: " + hook.ids());
            WebhookHook.Request r = hook.requests.stream().filter(x -> id.equals(x.id())).findFirst().orElseThrow();
            assertEquals("firing", body(r).get("status").asText());
            // the audit log kept the first run's attempts in the outbox: the failed one is still listed after the restart
            String audit = given().baseUri(app.baseUri()).when().get("/api/v1/audit?type=notification.attempt&limit=1000")
                    .then().statusCode(200)
                    .extract().asString();
            assertTrue(audit.contains("\"retry\"") && audit.contains(id),
                    "the first run's attempts survive the restart: " + audit);
            app.terminate(Duration.ofSeconds(30));
        } finally {
            sql("DROP TABLE IF EXISTS " + FLAG);
        }
    }

    // ---- killed in the middle of a send ------------------------------------------------------------------------------

    /** A database of this test's own, whose outbox outlives the killed process: other tests use schema poolwatch too. */
    private static final String KILL_DATABASE = "poolwatch_delivery_it";
    private static final String KILL_FLAG = "delivery_kill_flag";
    /**
     * The receiver's timeout, which the interrupted attempt's lease lasts with one backoff (the lease of before: with
     * 30 s). Longer than a restart of the jar usually takes, so that the lease, not the restart, decides when the
     * receiver's queue moves on.
     */
    private static final Duration RECEIVER_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    private static final Duration LOCK_AT_MOST_FOR = Duration.ofSeconds(2);
    /**
     * How long a newer notification may take once the interrupted attempt's lease (its timeout and at most max-backoff)
     * has lapsed and the new process is up: the dead process's locks (the cluster's, 2s, and the check's, its timeout 2s
     * and 5s), a check run, an evaluation, a few polls and the retry itself. The lease of before (the timeout and 30 s)
     * made it wait 30 s more.
     */
    private static final Duration NEWER_SLACK = Duration.ofSeconds(12);

    private static void killSql(String statement) throws SQLException {
        TestDatabases.postgres().execute(KILL_DATABASE, statement);
    }

    private static void recreateKillDatabase(boolean create) throws SQLException {
        if (create) {
            TestDatabases.postgres().freshDatabase(KILL_DATABASE);
        } else {
            TestDatabases.postgres().dropDatabase(KILL_DATABASE);
        }
    }

    /**
     * A receiver on loopback that never answers the first consistency-check notification (until it is closed) and
     * answers every other request 200 at once, each on a thread of its own.
     */
    private static final class HangingReceiver implements AutoCloseable {

        /** One request: its webhook-id, its body, whether it was answered, when it came (System.nanoTime). */
        record Received(String id, JsonNode body, boolean hung, long at) {
        }

        final List<Received> requests = new CopyOnWriteArrayList<>();
        private final CountDownLatch released = new CountDownLatch(1);
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final HttpServer server;
        private boolean hungOne;

        HangingReceiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                JsonNode body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                boolean hang;
                synchronized (this) {
                    hang = !hungOne && "consistency-check".equals(body.path("groupLabels").path("alertname").asText());
                    hungOne |= hang;
                }
                requests.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"), body, hang, System.nanoTime()));
                try {
                    if (hang && !released.await(2, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("never released");
                    }
                    exchange.sendResponseHeaders(200, -1);
                } catch (InterruptedException | IOException e) {
                    // The sender is gone (killed): nobody reads the answer.
                } finally {
                    exchange.close();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            released.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private static Map<String, String> killProperties(String hookUrl) {
        Map<String, String> p = new HashMap<>(FlagCheck.properties(KILL_FLAG));
        // A check's lock outlives a process killed while holding it by the check's timeout and 5s.
        p.put("poolwatch.consistency.checks.flag.timeout", "2s");
        String r = "poolwatch.alerting.receivers.ops.";
        p.put(r + "url", hookUrl);
        p.put(r + "timeout", RECEIVER_TIMEOUT.toSeconds() + "s");
        p.put("poolwatch.alerting.evaluation-interval", "500ms");
        p.put("poolwatch.alerting.group-wait", "0s");
        p.put("poolwatch.alerting.group-interval", "1s");
        p.put("poolwatch.alerting.repeat-interval", "1h");
        // The outbox in the database, so it outlives the process, as in a cluster.
        p.put("poolwatch.alerting.outbox.workload", "main");
        p.put("poolwatch.alerting.outbox.initial-backoff", "200ms");
        p.put("poolwatch.alerting.outbox.max-backoff", MAX_BACKOFF.toMillis() + "ms");
        p.put("poolwatch.alerting.outbox.poll-interval", "200ms");
        // The killed process keeps the cluster's jobs until its lock expires: short here, so the outbox's own wait shows.
        p.put("poolwatch.cluster.lock-at-most-for", LOCK_AT_MOST_FOR.toSeconds() + "s");
        return p;
    }

    private static List<Map<String, Object>> attemptsOf(PoolwatchProcess app, String notification) {
        List<Map<String, Object>> events = given().baseUri(app.baseUri()).when()
                .get("/api/v1/audit?type=notification.attempt&limit=1000")
                .then().statusCode(200).extract().jsonPath().getList("findAll { it.notification == '" + notification + "' }");
        return events;
    }

    @Test
    void aSendCutByAKillIsRetriedAsTheSecondAttemptAndHoldsUpNewerOnesOnlyForItsBackoff() throws Exception {
        recreateKillDatabase(true);
        killSql("CREATE TABLE " + KILL_FLAG + " (id INT)");
        TestDatabases.Server pg = TestDatabases.postgres();
        Map<String, String> env = Map.of("DATABASE_URL",
                pg.seedUrl(KILL_DATABASE));
        try (HangingReceiver hook = new HangingReceiver()) {
            HangingReceiver.Received cut;
            try (PoolwatchProcess app = PoolwatchProcess.start(env, killProperties(hook.url()))) {
                app.startedWithin(START);
                killSql("INSERT INTO " + KILL_FLAG + " VALUES (1)");
                Await.within("the firing notification reaches the receiver, which does not answer", Duration.ofSeconds(30),
                        () -> hook.requests.stream().anyMatch(HangingReceiver.Received::hung));
                cut = hook.requests.stream().filter(HangingReceiver.Received::hung).findFirst().orElseThrow();
                // Within the receiver's timeout: the attempt is in flight.
                app.kill();
            }
            String interrupted = cut.id();

            try (PoolwatchProcess app = PoolwatchProcess.start(env, killProperties(hook.url()))) {
                app.startedWithin(START);
                long restarted = System.nanoTime();
                // A newer notification for the same receiver: the check clears once the new process has seen it fail.
                Await.within("the restarted process sees the check failing", Duration.ofSeconds(60),
                        () -> given().baseUri(app.baseUri()).when()
                                .get("/api/v1/alerts?state=firing").then().extract().asString().contains("consistency-check"));
                killSql("DELETE FROM " + KILL_FLAG);
                Await.within("a notification newer than the interrupted one delivered", Duration.ofSeconds(60),
                        () -> hook.requests.stream()
                                .anyMatch(x -> x.at() > restarted && !x.id().equals(interrupted)));
                HangingReceiver.Received newer = hook.requests.stream()
                        .filter(x -> x.at() > restarted && !x.id().equals(interrupted))
                        .findFirst().orElseThrow();
                long retried = hook.requests.stream().filter(x -> x.id().equals(interrupted) && !x.hung())
                        .mapToLong(HangingReceiver.Received::at)
                        .findFirst().orElse(-1);
                // From the start of the interrupted attempt.
                long up = Duration.ofNanos(restarted - cut.at()).toMillis();
                long newerAfter = Duration.ofNanos(newer.at() - cut.at()).toMillis();
                long retriedAfter = retried < 0 ? -1 : Duration.ofNanos(retried - cut.at()).toMillis();
                System.out.printf(
                        "attempt cut by SIGKILL at 0 ms; restarted process up at %d ms; retry sent at %d ms; first newer notification "
                                + "at %d ms (%d ms after the restart)%n",
                        up, retriedAfter, newerAfter, newerAfter - up);
                long leaseLapsed = RECEIVER_TIMEOUT.plus(MAX_BACKOFF).toMillis();
                long bound = Math.max(leaseLapsed, up) + NEWER_SLACK.toMillis();
                assertTrue(newerAfter < bound,
                        "the first newer notification came " + newerAfter + " ms after the interrupted attempt started, "
                                + "the restarted process was up at " + up + " ms; bound " + bound + " ms: " + app.outputTail());

                // The interrupted notification was sent again, with its id, before the newer ones: a receiver's order holds.
                List<String> ids = hook.requests.stream().map(HangingReceiver.Received::id).toList();
                assertEquals(2, ids.stream().filter(interrupted::equals).count(),
                        "sent twice, with the same webhook-id: " + ids);
                assertTrue(ids.lastIndexOf(interrupted) < ids.indexOf(newer.id()),
                        "the retry before the newer notification: " + ids);
                assertEquals("firing", hook.requests.get(ids.lastIndexOf(interrupted)).body().get("status").asText());

                // Counted truthfully: the receiver saw two attempts, the audit and the outbox say two.
                List<Map<String, Object>> attempts = attemptsOf(app, interrupted);
                assertTrue(
                        attempts.stream().anyMatch(
                                e -> "delivered".equals(e.get("outcome")) && Integer.valueOf(2).equals(e.get("attempt"))),
                        "the retry is audited as attempt 2: " + attempts);
                assertTrue(
                        attempts.stream().anyMatch(
                                e -> "interrupted".equals(e.get("outcome")) && Integer.valueOf(1).equals(e.get("attempt"))),
                        "the first attempt is audited as interrupted: " + attempts);
                try (Connection c = TestDatabases.postgres().dataSource(KILL_DATABASE).getConnection();
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery(
                                "SELECT state, attempts FROM poolwatch.outbox WHERE id = '" + interrupted + "'")) {
                    assertTrue(rs.next());
                    assertEquals("delivered", rs.getString(1));
                    assertEquals(2, rs.getInt(2));
                }
                app.terminate(Duration.ofSeconds(30));
            }
        } finally {
            recreateKillDatabase(false);
        }
    }
}
