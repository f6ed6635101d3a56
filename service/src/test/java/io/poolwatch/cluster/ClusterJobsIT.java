package io.poolwatch.cluster;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.poolwatch.testing.Await;
import io.poolwatch.testing.PoolwatchProcess;
import io.poolwatch.testing.TestDatabases;

/**
 * Two packaged poolwatch processes on one PostgreSQL database, sharing its outbox and lock table: over several short
 * intervals each check runs once per interval in one of them, a failing check reaches a loopback receiver once; then
 * the process running the cluster's jobs is killed and the other takes them over within lock-at-most-for and a
 * quarter, runs the checks from then on, continues the notified alert from the state saved beside the outbox (no second
 * notification) and sends its resolution.
 */
class ClusterJobsIT {

    /** A database of this test's own: the outbox's schema is always {@code poolwatch}, which other tests use too. */
    private static final String DATABASE = "poolwatch_cluster_it";
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration LOCK_AT_MOST_FOR = Duration.ofSeconds(4);
    /** What the README promises: lock-at-most-for and a quarter of it. */
    private static final Duration TAKEOVER_BOUND = LOCK_AT_MOST_FOR.plus(LOCK_AT_MOST_FOR.dividedBy(4));
    private static final Map<String, Duration> CHECKS = Map.of("steady", Duration.ofSeconds(1), "flag", Duration.ofSeconds(2));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Connection connect() throws SQLException {
        return TestDatabases.postgres().dataSource(DATABASE).getConnection();
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @BeforeAll
    static void createDatabase() throws SQLException {
        TestDatabases.postgres().freshDatabase(DATABASE);
        sql("CREATE TABLE cluster_flag (id INT)");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        TestDatabases.postgres().dropDatabase(DATABASE);
    }

    /** A webhook receiver on loopback that records every request and answers 200. */
    private static final class Receiver implements AutoCloseable {
        final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        final List<String> ids = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    bodies.add(JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
                ids.add(exchange.getRequestHeaders().getFirst("webhook-id"));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        /** The consistency-check notifications, in the order received. */
        List<JsonNode> checkNotifications() {
            return bodies.stream().filter(b -> b.get("groupLabels").path("alertname").asText().equals("consistency-check"))
                    .toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static Map<String, String> properties(String instance, String hookUrl) {
        Map<String, String> p = new HashMap<>();
        CHECKS.forEach((name, every) -> {
            String check = "poolwatch.consistency.checks." + name + ".";
            p.put(check + "kind", "sql");
            p.put(check + "workload", "main");
            p.put(check + "schedule", every.toSeconds() + "s");
            p.put(check + "severity", "critical");
            p.put(check + "sql", name.equals("flag") ? "SELECT COUNT(*) FROM cluster_flag" : "SELECT 0");
        });
        p.put("poolwatch.consistency.initial-delay", "0s");
        p.put("poolwatch.consistency.max-concurrent", "2");
        p.put("poolwatch.consistency.history-size", "500");
        p.put("poolwatch.alerting.instance", instance);
        p.put("poolwatch.alerting.receivers.ops.url", hookUrl);
        p.put("poolwatch.alerting.evaluation-interval", "500ms");
        p.put("poolwatch.alerting.group-wait", "0s");
        p.put("poolwatch.alerting.group-interval", "1s");
        p.put("poolwatch.alerting.repeat-interval", "1h");
        p.put("poolwatch.alerting.outbox.workload", "main");
        p.put("poolwatch.alerting.outbox.poll-interval", "200ms");
        p.put("poolwatch.alerting.outbox.initial-backoff", "200ms");
        p.put("poolwatch.alerting.outbox.max-backoff", "1s");
        p.put("poolwatch.cluster.lock-at-most-for", LOCK_AT_MOST_FOR.toSeconds() + "s");
        return p;
    }

    private static boolean runsClusterJobs(PoolwatchProcess app) {
        return given().baseUri(app.baseUri()).when().get("/api/v1/cluster").then().statusCode(200).extract().jsonPath()
                .getBoolean("runsClusterJobs");
    }

    /** When each scheduled run of a check started in {@code app}. */
    private static List<Instant> runs(PoolwatchProcess app, String check) {
        List<String> started = given().baseUri(app.baseUri()).when().get("/api/v1/checks/" + check).then().statusCode(200)
                .extract()
                .jsonPath().getList("history.findAll { it.trigger == 'schedule' }.startedAt");
        return started.stream().map(Instant::parse).sorted().toList();
    }

    private static List<Instant> between(List<Instant> runs, Instant from, Instant to) {
        return runs.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).toList();
    }

    /**
     * Over {@code window}, the runs of every check in both processes together: about one per interval, none two in
     * one interval.
     */
    private static void oncePerInterval(List<PoolwatchProcess> apps, Instant from, Instant to, String phase) {
        Duration window = Duration.between(from, to);
        for (Map.Entry<String, Duration> check : CHECKS.entrySet()) {
            List<Instant> all = new ArrayList<>();
            for (PoolwatchProcess app : apps) {
                all.addAll(between(runs(app, check.getKey()), from, to));
            }
            all.sort(null);
            long intervals = window.toMillis() / check.getValue().toMillis();
            assertTrue(all.size() >= intervals - 1 && all.size() <= intervals + 1,
                    phase + ": check " + check.getKey() + " every " + check.getValue() + " ran " + all.size() + " times in "
                            + window
                            + ": " + all);
            for (int i = 1; i < all.size(); i++) {
                Duration gap = Duration.between(all.get(i - 1), all.get(i));
                // The next run may start late (a busy runner), never within the same interval.
                assertTrue(gap.compareTo(check.getValue().dividedBy(2)) > 0,
                        phase + ": check " + check.getKey() + " ran twice within " + gap + ": " + all);
            }
        }
    }

    @Test
    void checksRunOnceNotificationsArriveOnceAndASurvivorTakesOver() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        Map<String, String> env = Map.of("DATABASE_URL",
                pg.seedUrl(DATABASE),
                "DB_POOL_SIZE", "2",
                "DB_MAX_OVERFLOW", "2");
        try (Receiver hook = new Receiver();
                PoolwatchProcess a = PoolwatchProcess.start(env, properties("pw-a", hook.url()));
                PoolwatchProcess b = PoolwatchProcess.start(env, properties("pw-b", hook.url()))) {
            a.startedWithin(START);
            b.startedWithin(START);
            List<PoolwatchProcess> both = List.of(a, b);

            Await.within("one process runs the cluster's jobs", TAKEOVER_BOUND.plusSeconds(5),
                    () -> runsClusterJobs(a) || runsClusterJobs(b));
            PoolwatchProcess leader = runsClusterJobs(a) ? a : b;
            PoolwatchProcess other = leader == a ? b : a;
            String leaderInstance = leader == a ? "pw-a" : "pw-b";
            assertTrue(!runsClusterJobs(other), "not both");

            // Several intervals of each check, counted in both processes' histories.
            Instant from = Instant.now().plusSeconds(1);
            Thread.sleep(Duration.ofSeconds(9).toMillis());
            Instant to = Instant.now().minusSeconds(1);
            oncePerInterval(both, from, to, "two processes");
            assertEquals(List.of(), runs(other, "steady"), "the other process ran no check");
            // Its dashboard says why its checks have no results.
            assertTrue(given().baseUri(other.baseUri()).when().get("/checks").then().statusCode(200).extract().asString()
                    .contains("id=\"standby\""), "the standby note on the other process's dashboard");
            assertTrue(!given().baseUri(leader.baseUri()).when().get("/checks").then().statusCode(200).extract().asString()
                    .contains("id=\"standby\""), "no standby note where the checks run");

            // The flag check fails: one notification, from the process running the jobs, while it keeps failing.
            sql("INSERT INTO cluster_flag VALUES (1)");
            Await.within("a firing notification", Duration.ofSeconds(10), () -> hook.checkNotifications().size() == 1);
            Thread.sleep(3000);
            assertEquals(1, hook.checkNotifications().size(), "one notification while the alert keeps firing: " + hook.bodies);
            JsonNode fired = hook.checkNotifications().get(0);
            assertEquals("firing", fired.get("status").asText());
            // A check's alert is the cluster's, not a pod's: its instance is the same in every replica.
            String clusterInstance = fired.get("alerts").get(0).get("labels").get("instance").asText();
            assertTrue(clusterInstance.startsWith("poolwatch@") && !clusterInstance.equals(leaderInstance), clusterInstance);
            assertEquals("flag", fired.get("alerts").get(0).get("labels").get("check").asText());

            // The process running the jobs dies holding the lock; the other takes over within the bound.
            Instant killed = Instant.now();
            leader.kill();
            Duration takeover = Await.within("the survivor runs the cluster's jobs", TAKEOVER_BOUND.plusSeconds(5),
                    () -> runsClusterJobs(other));
            System.out.printf("cluster takeover after SIGKILL: %d ms (bound %d ms)%n", takeover.toMillis(),
                    TAKEOVER_BOUND.toMillis());
            // 50 ms polling and one HTTP round trip on top of the bound.
            assertTrue(takeover.compareTo(TAKEOVER_BOUND.plusMillis(500)) <= 0,
                    "taken over in " + takeover + ", bound " + TAKEOVER_BOUND);

            // The survivor runs the checks once per interval, and notifies the failing check, once.
            Await.within("the survivor's first check run", Duration.ofSeconds(5), () -> !runs(other, "steady").isEmpty());
            Instant after = Instant.now().plusSeconds(1);
            Thread.sleep(Duration.ofSeconds(7).toMillis());
            oncePerInterval(List.of(other), after, Instant.now().minusSeconds(1), "after the takeover");
            assertTrue(runs(other, "flag").stream().allMatch(t -> t.isAfter(killed)),
                    "the survivor ran checks only after the kill");
            // The survivor continues the alert from the state the other saved beside the outbox: no notification again.
            assertEquals(1, hook.checkNotifications().size(),
                    "the survivor continues the notified alert, no second notification: " + hook.bodies);
            // The check passes again: the survivor resolves the same alert (same labels, fingerprint and startsAt).
            sql("DELETE FROM cluster_flag");
            Await.within("the survivor's resolution", Duration.ofSeconds(10), () -> hook.checkNotifications().size() == 2);
            Thread.sleep(2000);
            assertEquals(2, hook.checkNotifications().size(), "one resolution from the survivor: " + hook.bodies);
            JsonNode resolution = hook.checkNotifications().get(1);
            assertEquals("resolved", resolution.get("status").asText());
            JsonNode again = resolution.get("alerts").get(0);
            assertEquals(clusterInstance, again.get("labels").get("instance").asText());
            assertEquals(fired.get("alerts").get(0).get("fingerprint").asText(), again.get("fingerprint").asText());
            assertEquals(fired.get("alerts").get(0).get("startsAt").asText(), again.get("startsAt").asText());
            assertEquals(fired.get("groupKey").asText(), resolution.get("groupKey").asText());
            assertEquals(hook.ids.size(), hook.ids.stream().distinct().count(), "no notification delivered twice: " + hook.ids);

            // Stopped in order, it hands the jobs over at once instead of after lock-at-most-for.
            other.terminate(Duration.ofSeconds(30));
            String log = other.outputTail();
            assertTrue(log.contains("released the cluster's jobs"), log);
        }
    }
}
