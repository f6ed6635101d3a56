package io.poolwatch.pool;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.jboss.logging.Logger;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.poolwatch.alerting.Alert;
import io.poolwatch.alerting.AlertState;
import io.poolwatch.alerting.Alerting;
import io.poolwatch.config.PoolRole;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.ReadStrategy;
import io.poolwatch.config.ReplicaFallback;
import io.poolwatch.engine.ReplicaLag;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.ReplicaLagSampler;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.ReplicaCluster;
import io.poolwatch.testing.ReplicaTestResource;
import io.poolwatch.testing.TestDatabases;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Read routing on real PostgreSQL streaming replicas: two standbys of the test server made by the test setup
 * ({@link ReplicaCluster}). main's replicas come from DB_READ_REPLICAS (weights 3 and 1, weighted, fall back to the
 * primary); reports' from the native keys (round-robin, fallback=fail). Every read runs a statement on the server that
 * served it, which names itself: no mock decides anything here.
 */
@QuarkusTest
@WithTestResource(ReplicaTestResource.class)
class ReplicaRoutingPostgresTest {

    private static final Logger LOG = Logger.getLogger(ReplicaRoutingPostgresTest.class);

    @Inject
    ReadRouter reads;

    @Inject
    PoolRegistry registry;

    @Inject
    ReplicaLagSampler lags;

    @Inject
    Alerting alerting;

    @Inject
    PoolSampler sampler;

    List<ReplicaCluster.Standby> standbys;

    /** Every test starts with both standbys running, replaying, and taking reads. */
    @BeforeEach
    void standbysStreamingAndTakingReads() throws Exception {
        standbys = ReplicaCluster.require();
        for (ReplicaCluster.Standby s : standbys) {
            s.start();
            s.resumeReplay();
        }
        Await.until("every replica takes reads", () -> allUsable("main") && allUsable("reports"));
    }

    private boolean allUsable(String workload) {
        return reads.status(workload).stream().allMatch(s -> s.usability() == ReplicaUsability.USABLE);
    }

    private ReplicaUsability usability(String workload, String pool) {
        return reads.status(workload).stream().filter(s -> s.replica().name().equals(pool)).findFirst().orElseThrow()
                .usability();
    }

    /**
     * Who served a read: the server's application_name for the connection (each pool has its own), and whether it is a standby.
     */
    private record Served(String applicationName, boolean standby) {
    }

    private static Served served(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('application_name'), pg_is_in_recovery()")) {
            rs.next();
            return new Served(rs.getString(1), rs.getBoolean(2));
        }
    }

    @Test
    void replicaPoolsAreWatchedLikeAnyOtherWithTheirRoleAndWorkload() {
        PoolSettings r1 = registry.pool("main-replica-1").settings();
        assertEquals(PoolRole.REPLICA, r1.role());
        assertEquals("main", r1.workload());
        assertEquals(standbys.get(0).label(), r1.url().label());
        assertEquals(List.of("main-replica-1", "main-replica-2"),
                registry.replicas("main").stream().map(WorkloadPool::name).toList());
        assertEquals(List.of("reports-east", "reports-replica-west"),
                registry.replicas("reports").stream().map(WorkloadPool::name).toList());
        sampler.sampleNow();
        assertEquals(PoolRole.REPLICA, sampler.latest("main-replica-1").orElseThrow().role());
        assertEquals("main", sampler.latest("main-replica-1").orElseThrow().workload());
        given().when().get("/api/v1/pools/main-replica-2").then().statusCode(200)
                .body("pool.role", equalTo("replica")).body("pool.workload", equalTo("main"))
                .body("pool.readOnly", equalTo(true));
        String metrics = metrics();
        assertTrue(
                metric(metrics, "poolwatch_pool_connections_max", "pool=\"main-replica-1\"", "role=\"replica\"",
                        "workload=\"main\"") == 8,
                metrics);
        assertEquals(3, metric(metrics, "poolwatch_replica_weight", "pool=\"main-replica-1\""));
    }

    @Test
    void readsAreSpreadByWeightAndInTurn() throws Exception {
        // 400 reads from 4 threads through main's routed DataSource (weighted 3:1).
        Map<String, AtomicInteger> byServer = readMany(reads.dataSource("main"), 400);
        int first = byServer.getOrDefault("poolwatch-main-replica-1", new AtomicInteger()).get();
        int second = byServer.getOrDefault("poolwatch-main-replica-2", new AtomicInteger()).get();
        LOG.infof("weighted 3:1 over 400 reads: %d and %d", first, second);
        assertEquals(400, first + second, "every read is served by a standby: " + byServer);
        // Smooth weighted round-robin is exact per decision (300/100); threads may only reorder a few decisions.
        assertTrue(first >= 280 && first <= 320, "replica 1 (weight 3) served " + first + " of 400");

        Map<String, AtomicInteger> roundRobin = readMany(reads.dataSource("main", ReadStrategy.ROUND_ROBIN), 200);
        int rr1 = roundRobin.getOrDefault("poolwatch-main-replica-1", new AtomicInteger()).get();
        assertTrue(rr1 >= 90 && rr1 <= 110, "round-robin ignores the weights: " + roundRobin);

        Map<String, AtomicInteger> reports = readMany(reads.dataSource("reports"), 100);
        assertEquals(50, reports.get("poolwatch-reports-east").get(),
                "reports routes round-robin by configuration: " + reports);
        assertEquals(50, reports.get("poolwatch-reports-replica-west").get());

        String metrics = metrics();
        assertTrue(metric(metrics, "poolwatch_replica_reads_total", "pool=\"main-replica-1\"") >= first, metrics);
    }

    private Map<String, AtomicInteger> readMany(DataSource ds, int count) throws Exception {
        Map<String, AtomicInteger> byServer = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                done.add(threads.submit(() -> {
                    try (Connection c = ds.getConnection()) {
                        Served s = served(c);
                        assertTrue(s.standby(), s.applicationName() + " is not a standby");
                        byServer.computeIfAbsent(s.applicationName(), k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
        return byServer;
    }

    @Test
    void aStoppedReplicaIsSkippedAndTakesReadsAgainAfterItRestarts() throws Exception {
        ReplicaCluster.Standby first = standbys.get(0);
        long stoppedAt = System.nanoTime();
        first.stop();
        try {
            Await.until("main-replica-1 is skipped", () -> usability("main", "main-replica-1") == ReplicaUsability.UNREACHABLE);
            LOG.infof("a stopped replica was skipped %d ms after it stopped (validation interval 250 ms)",
                    (System.nanoTime() - stoppedAt) / 1_000_000);
            for (int i = 0; i < 20; i++) {
                try (Connection c = reads.connection("main")) {
                    assertEquals(new Served("poolwatch-main-replica-2", true), served(c));
                }
                assertEquals("reports-replica-west", reads.route("reports").pool());
            }
            // Degraded, never DOWN: readiness stays UP, the replica's entry says so.
            given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                    .body("checks.find { it.name == 'poolwatch-pools' }.data.'main-replica-1'",
                            startsWith("DEGRADED: replica of main"))
                    .body("checks.find { it.name == 'poolwatch-pools' }.data.'main read replicas'",
                            startsWith("1 of 2 usable"));
            Alert down = alerting.evaluateNow().stream()
                    .filter(a -> a.name().equals("unhealthy-pools") && "main-replica-1".equals(a.labels().get("pool")))
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError("no unhealthy-pools alert for the stopped replica: " + alerting.alerts()));
            assertEquals(AlertState.FIRING, down.state());
            assertEquals("replica", down.labels().get("role"));
            assertEquals("main", down.labels().get("workload"));
            assertEquals("warning", down.labels().get("severity"));
            String metrics = metrics();
            assertEquals(0, metric(metrics, "poolwatch_replica_up", "pool=\"main-replica-1\""));
            assertTrue(metric(metrics, "poolwatch_replica_skipped_total", "pool=\"main-replica-1\"",
                    "reason=\"unreachable\"") >= 20, metrics);
        } finally {
            first.start();
        }
        Await.until("main-replica-1 takes reads again", () -> usability("main", "main-replica-1") == ReplicaUsability.USABLE);
        Map<String, AtomicInteger> byServer = readMany(reads.dataSource("main"), 40);
        assertTrue(byServer.getOrDefault("poolwatch-main-replica-1", new AtomicInteger()).get() >= 20,
                "the restarted replica takes its share again without a restart of poolwatch: " + byServer);
    }

    @Test
    void lagIsReportedWhenReplayIsPausedAndTheReplicaIsSkippedOverMaxLag() throws Exception {
        ReplicaCluster.Standby second = standbys.get(1);
        try (Connection c = TestDatabases.postgres().connect(); Statement st = c.createStatement()) {
            st.execute(
                    "CREATE TABLE IF NOT EXISTS replica_lag_probe (id bigserial PRIMARY KEY, at timestamptz DEFAULT clock_timestamp())");
            st.execute("INSERT INTO replica_lag_probe DEFAULT VALUES");
        }
        second.awaitReplayed();
        second.pauseReplay();
        try {
            try (Connection c = TestDatabases.postgres().connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO replica_lag_probe DEFAULT VALUES");
            }
            // Seconds since the last replayed commit grow while replay is paused; max-lag is 1s.
            Await.until("the paused replica's lag is over max-lag", () -> lags.ofPool("main-replica-2")
                    .filter(l -> l.state() == ReplicaLag.State.PAUSED && l.seconds().orElse(0.0) > 1.0
                            && l.bytes().orElse(0L) > 0)
                    .isPresent());
            Await.until("main-replica-2 is skipped as lagging",
                    () -> usability("main", "main-replica-2") == ReplicaUsability.LAGGING);
            for (int i = 0; i < 20; i++) {
                assertEquals("main-replica-1", reads.route("main").pool());
            }
            // reports has the built-in max-lag (30s): the same standby still takes its reads.
            assertEquals(ReplicaUsability.USABLE, usability("reports", "reports-replica-west"));

            String metrics = metrics();
            assertTrue(metric(metrics, "poolwatch_replica_lag_seconds", "pool=\"main-replica-2\"") > 1, metrics);
            assertTrue(metric(metrics, "poolwatch_replica_lag_bytes", "pool=\"main-replica-2\"") > 0, metrics);
            assertEquals(0, metric(metrics, "poolwatch_replica_routable", "pool=\"main-replica-2\""));

            JsonPath api = given().when().get("/api/v1/replicas/main").then().statusCode(200).extract().jsonPath();
            assertEquals("lagging", api.getString("replicas.find { it.pool == 'main-replica-2' }.state"), api.prettify());
            assertEquals("paused", api.getString("replicas.find { it.pool == 'main-replica-2' }.lag.state"), api.prettify());
            assertEquals(1, api.getInt("usable"));
            // and on the dashboard, on the replica's card: not routed, paused, its lag over the threshold in words
            String card = Jsoup
                    .parse(given().when().get("/?fragment=pools").then().statusCode(200).extract().asString())
                    .select("#pool-main-replica-2 .replica-state").text();
            assertTrue(card.contains("not routed (lagging)") && card.contains("replication paused") && card.contains("bytes"),
                    card);
            // The primary's own view: both standbys stream from it, the paused one behind.
            Await.until("the primary reports both standbys", () -> lags.primary(registry.pool("main").settings().url().label())
                    .filter(p -> p.permitted() && p.standbys().stream()
                            .filter(s -> s.applicationName().startsWith("poolwatch-standby-")).count() == 2)
                    .isPresent());

            given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                    .body("checks.find { it.name == 'poolwatch-pools' }.data.'main-replica-2'",
                            startsWith("DEGRADED: replica of main: replay lag"));
            Alert lag = alerting.evaluateNow().stream()
                    .filter(a -> a.name().equals("replica-lag") && "main-replica-2".equals(a.labels().get("pool"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no replica-lag alert: " + alerting.alerts()));
            assertEquals(AlertState.FIRING, lag.state());
            assertTrue(lag.value() > 1, "the alert carries the lag in seconds: " + lag.value());
            assertEquals(standbys.get(1).label(), lag.labels().get("database"));
        } finally {
            second.resumeReplay();
        }
        Await.until("main-replica-2 caught up and takes reads again",
                () -> usability("main", "main-replica-2") == ReplicaUsability.USABLE);
        assertEquals(0.0, lags.ofPool("main-replica-2").orElseThrow().seconds().orElseThrow());
    }

    @Test
    void withEveryReplicaDownReadsFallBackToThePrimaryOrFailAsConfigured() throws Exception {
        ReplicaSet main = reads.replicas("main").orElseThrow();
        ReplicaSet reports = reads.replicas("reports").orElseThrow();
        long toPrimary = main.fallbacks(ReplicaFallback.PRIMARY);
        long failed = reports.fallbacks(ReplicaFallback.FAIL);
        standbys.forEach(ReplicaCluster.Standby::stop);
        try {
            Await.until("no replica of main is usable",
                    () -> reads.status("main").stream().noneMatch(s -> s.usability() == ReplicaUsability.USABLE));
            try (Connection c = reads.connection("main")) {
                assertEquals(new Served("poolwatch-main", false), served(c),
                        "the read is served by main's own pool, on the primary");
            }
            ReadRoute route = reads.route("main", ReadStrategy.WEIGHTED);
            assertEquals("main", route.pool());
            assertEquals(PoolRole.PRIMARY, route.role());
            assertTrue(route.fallbackReason().orElseThrow().contains("main-replica-1 unreachable"),
                    route.fallbackReason().orElseThrow());
            assertEquals(toPrimary + 2, main.fallbacks(ReplicaFallback.PRIMARY));

            Await.until("no replica of reports is usable",
                    () -> reads.status("reports").stream().noneMatch(s -> s.usability() == ReplicaUsability.USABLE));
            ReplicaUnavailableException e = assertThrows(ReplicaUnavailableException.class, () -> reads.connection("reports"));
            assertTrue(
                    e.getMessage().contains("reports-east unreachable")
                            && e.getMessage().contains("reports-replica-west unreachable"),
                    e.getMessage());
            assertEquals(failed + 1, reports.fallbacks(ReplicaFallback.FAIL));

            given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            String metrics = metrics();
            assertTrue(metric(metrics, "poolwatch_replica_fallbacks_total", "workload=\"main\"", "fallback=\"primary\"") >= 2,
                    metrics);
            assertTrue(metric(metrics, "poolwatch_replica_fallbacks_total", "workload=\"reports\"", "fallback=\"fail\"") >= 1,
                    metrics);
        } finally {
            standbys.forEach(ReplicaCluster.Standby::start);
        }
        Await.until("both replicas take reads again", () -> allUsable("main") && allUsable("reports"));
        try (Connection c = reads.connection("main")) {
            assertTrue(served(c).standby());
        }
    }

    @Test
    void aPoolWithoutReplicasReadsFromItselfAndUnknownOnesAreAnError() throws Exception {
        assertFalse(reads.replicas("main-replica-1").isPresent(), "a replica's pool has no replicas of its own");
        try (Connection c = reads.connection("main-replica-1")) {
            assertEquals(new Served("poolwatch-main-replica-1", true), served(c));
        }
        assertThrows(UnknownWorkloadException.class, () -> reads.connection("nope"));
        given().when().get("/api/v1/replicas/nope").then().statusCode(404);
        given().when().get("/api/v1/replicas").then().statusCode(200).body("workload",
                Matchers.contains("main", "reports"));
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the first sample of {@code name} whose labels contain every fragment. */
    private static double metric(String text, String name, String... labels) {
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            String labelPart = line.substring(name.length(), line.lastIndexOf('}') + 1);
            if (List.of(labels).stream().allMatch(labelPart::contains)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " with " + List.of(labels));
    }
}
