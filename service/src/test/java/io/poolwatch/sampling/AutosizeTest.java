package io.poolwatch.sampling;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.simulator.LoadSimulator;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.SmallPostgresCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Closed-loop sizing on a real PostgreSQL of its own with 40 slots, 3 reserved, while another application holds 10
 * sessions. {@code main} (autosize on, max-size 4, lowered to its floor 2 while quiet) and {@code jobs} (dry-run,
 * max-size 4) are each saturated by the simulator's saturate fault (all their connections held) under a load of callers with a
 * 300 ms acquisition timeout. While the
 * other application holds 8 sessions more, main grows only to what the budget leaves it, though its callers still time
 * out; when they are let go, it grows until its timeouts stop, never beyond the budget, which is checked all along on
 * {@code pg_stat_activity}. After the fault it shrinks back to its floor. jobs' recommendations are recorded and its pool
 * never grows. The figures are printed (lines starting {@code FIGURE}).
 */
@QuarkusTest
@TestProfile(AutosizeTest.OnASmallServer.class)
class AutosizeTest {

    static final int MAX_CONNECTIONS = 40;
    static final int RESERVED = 3;
    static final int SPARE = 3;
    static final int OTHER_APP_SESSIONS = 10;
    static final int BURST_SESSIONS = 8;
    static final Duration FAULT = Duration.ofSeconds(45);
    static volatile SmallPostgresCluster cluster;

    @Inject
    PoolRegistry registry;

    @Inject
    LoadSimulator simulator;

    @Inject
    Autosizer autosizer;

    @Test
    void aSaturatedPoolGrowsWithinTheBudgetAndShrinksAfterwardsAndDryRunChangesNothing() throws Exception {
        List<Connection> otherApp = new ArrayList<>();
        List<Connection> burst = new ArrayList<>();
        try (Connection watch = cluster.connectAsSuperuser("postgres");
                Watcher watcher = new Watcher(watch)) {
            for (int i = 0; i < OTHER_APP_SESSIONS; i++) {
                otherApp.add(otherAppSession());
            }
            // The other application's sessions and the test's own watcher are not poolwatch's: the share left is 23, of
            // which the monitoring connection takes 1 and jobs 4, so main may grow to 18.
            int share = MAX_CONNECTIONS - RESERVED - SPARE - (OTHER_APP_SESSIONS + 1);
            int mainAllowed = share - 1 - registry.pool("jobs").maxSize();
            Await.within("the budget known, main allowed " + mainAllowed, Duration.ofSeconds(30),
                    () -> autosizer.latest("main").map(d -> d.allowed().orElse(-1) == mainAllowed).orElse(false),
                    () -> String.valueOf(autosizer.latest("main")));
            try (Connection c = cluster.connectAsSuperuser("postgres");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT coalesce(application_name, ''), count(*) FROM pg_stat_activity "
                            + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1 ORDER BY 1")) {
                StringBuilder sessions = new StringBuilder();
                while (rs.next()) {
                    sessions.append(rs.getString(1)).append('=').append(rs.getInt(2)).append(' ');
                }
                System.out.printf("FIGURE autosize: client sessions when the budget was read: %s; %s%n", sessions,
                        autosizer.latest("main"));
            }
            // Quiet for lower-after since the start: main is lowered from its configured 4 to its floor 2 first.
            Await.within("main quiet, lowered to its floor 2", Duration.ofSeconds(30),
                    () -> registry.pool("main").maxSize() == 2,
                    () -> String.valueOf(autosizer.latest("main")));

            // First the other application holds 8 sessions more: the budget leaves main 10, less than its load needs.
            for (int i = 0; i < BURST_SESSIONS; i++) {
                burst.add(otherAppSession());
            }
            int tightAllowed = mainAllowed - BURST_SESSIONS;
            Await.within("the tighter budget read, main allowed " + tightAllowed, Duration.ofSeconds(30),
                    () -> autosizer.latest("main").map(d -> d.allowed().orElse(-1) == tightAllowed).orElse(false),
                    () -> String.valueOf(autosizer.latest("main")));

            long faultStart = System.nanoTime();
            Instant faultStartAt = Instant.now();
            simulator.fault("saturate", "main", Optional.of(FAULT));
            simulator.fault("saturate", "jobs", Optional.of(FAULT));
            // The fault holds every connection before the callers come (else they would take some first).
            Await.within("the fault holds main's 2 and jobs' 4 connections", Duration.ofSeconds(10),
                    () -> registry.pool("main").recorder().leased() == 2 && registry.pool("jobs").recorder().leased() == 4);
            AtomicInteger mainPeak = new AtomicInteger(registry.pool("main").maxSize());
            try (Load main = new Load(registry.dataSource("main"), 10, FAULT.minusSeconds(2));
                    Load jobs = new Load(registry.dataSource("jobs"), 2, FAULT.minusSeconds(2))) {
                // The pool grows to what the budget leaves and no further, though its callers still wait.
                Duration capped = Await.within("main at the budget's " + tightAllowed, Duration.ofSeconds(30),
                        () -> registry.pool("main").maxSize() == tightAllowed,
                        () -> "main max-size " + registry.pool("main").maxSize() + ", latest " + autosizer.latest("main"));
                // Its callers still wait, and the computation says the budget is what holds it.
                Await.within("main held at the budget while its callers wait", Duration.ofSeconds(20),
                        () -> autosizer.latest("main").map(d -> d.reason().endsWith("not raised; the server's budget leaves "
                                + tightAllowed + " for this pool")).orElse(false),
                        () -> String.valueOf(autosizer.latest("main")));
                // Two evaluations more at the least, and it stays there.
                Thread.sleep(2_000);
                assertEquals(tightAllowed, registry.pool("main").maxSize());
                assertTrue(main.timeouts.get() > 0, "the saturated pool's callers timed out before it grew");
                int mostMainWhileTight = watcher.mostMain.get();
                System.out.printf("FIGURE autosize: with the budget tight, main raised 2 -> %d in %.1f s and held there; "
                        + "at most %d of its sessions on the server; %d timeouts%n", tightAllowed,
                        capped.toMillis() / 1000.0, mostMainWhileTight, main.timeouts.get());
                assertTrue(mostMainWhileTight <= tightAllowed,
                        "main's sessions on the server " + mostMainWhileTight + " over the budget's " + tightAllowed);

                // The other application lets its sessions go: the pool grows until the timeouts stop (8 s without one).
                for (Connection c : burst) {
                    c.close();
                }
                long released = System.nanoTime();
                Duration settled = Await.within("main's timeouts stop", Duration.ofSeconds(40), () -> {
                    mainPeak.accumulateAndGet(registry.pool("main").maxSize(), Math::max);
                    return System.nanoTime() - Math.max(main.lastTimeoutNanos.get(), released) > 8e9;
                }, () -> "main max-size " + registry.pool("main").maxSize() + ", timeouts " + main.timeouts.get()
                        + ", latest " + autosizer.latest("main"));
                System.out.printf("FIGURE autosize: budget released, main raised %d -> %d; last timeout %.1f s after the "
                        + "release, then none for 8 s; %d timeouts in all (%d commits), %.1f s after the fault started; "
                        + "jobs (dry-run) %d timeouts%n",
                        tightAllowed, registry.pool("main").maxSize(),
                        Math.max(0, main.lastTimeoutNanos.get() - released) / 1e9, main.timeouts.get(), main.commits.get(),
                        (System.nanoTime() - faultStart) / 1e9, jobs.timeouts.get());
                assertTrue(settled.toMillis() < 40_000);
                assertTrue(registry.pool("main").maxSize() > tightAllowed, "main grew once the budget allowed it");
                assertTrue(registry.pool("main").maxSize() <= mainAllowed,
                        "main within its budget: " + registry.pool("main").maxSize() + " > " + mainAllowed);
                assertTrue(autosizer.changes("main").stream().filter(c -> c.at().isBefore(faultStartAt))
                        .allMatch(c -> c.direction().equals("lower") && c.to() == 2), "before the fault only its lowering");
                // Dry-run changes nothing: jobs is saturated too, its recommendations are recorded, its pool stays.
                assertEquals(4, registry.pool("jobs").maxSize());
                assertTrue(jobs.timeouts.get() > 0, "jobs stays saturated: it was not grown");
                List<Autosizer.Change> recommended = autosizer.changes("jobs");
                assertFalse(recommended.isEmpty(), "jobs' dry-run recorded its recommendations");
                // Quiet before the fault, it was recommended lower; saturated, higher; always from its own 4.
                assertTrue(recommended.stream().allMatch(c -> !c.applied() && c.mode().equals("dry-run") && c.from() == 4),
                        recommended.toString());
                assertTrue(recommended.stream().anyMatch(c -> c.direction().equals("raise") && c.to() == 6),
                        recommended.toString());
            }
            mainPeak.accumulateAndGet(registry.pool("main").maxSize(), Math::max);

            // After the fault and the load: quiet, so main is lowered step by step to its floor.
            Duration shrunk = Await.within("main back at its floor 2", Duration.ofSeconds(90),
                    () -> registry.pool("main").maxSize() == 2,
                    () -> "main max-size " + registry.pool("main").maxSize() + ", latest " + autosizer.latest("main"));
            System.out.printf("FIGURE autosize: main peaked at %d, back at its floor 2 %.1f s after the fault ended (%.1f s "
                    + "after the load)%n", mainPeak.get(), (System.nanoTime() - faultStart) / 1e9 - FAULT.toSeconds(),
                    shrunk.toMillis() / 1000.0);
            Await.within("main's idle connections closed", Duration.ofSeconds(15),
                    () -> registry.pool("main").recorder().open() <= 2);

            watcher.close();
            System.out.printf("FIGURE autosize: most poolwatch sessions seen %d (share %d), most client sessions %d "
                    + "(usable %d), %d reads of pg_stat_activity%n", watcher.mostPoolwatch.get(), share,
                    watcher.mostClients.get(), MAX_CONNECTIONS - RESERVED, watcher.reads.get());
            assertTrue(watcher.reads.get() > 100, "the watcher read the server all along: " + watcher.reads.get());
            assertTrue(watcher.mostPoolwatch.get() <= share,
                    "poolwatch's sessions " + watcher.mostPoolwatch.get() + " over its share " + share);
            assertTrue(watcher.mostClients.get() <= MAX_CONNECTIONS - RESERVED, "client sessions " + watcher.mostClients);
            assertTrue(watcher.mostJobs.get() <= 4, "jobs (dry-run) opened " + watcher.mostJobs.get());
            assertTrue(watcher.mostMain.get() > 4, "main opened more than its configured 4: " + watcher.mostMain.get());

            // Every change is recorded: the API, the audit log and the metrics.
            List<Autosizer.Change> changes = autosizer.changes("main");
            assertTrue(changes.stream().anyMatch(c -> c.applied() && c.direction().equals("raise")), changes.toString());
            assertTrue(changes.stream().anyMatch(c -> c.applied() && c.direction().equals("lower")), changes.toString());
            assertTrue(changes.stream().allMatch(c -> c.to() <= mainAllowed && c.budget().startsWith("budget ")),
                    changes.toString());
            given().when().get("/api/v1/pools/main").then().statusCode(200).body("pool.maxSize", equalTo(2))
                    .body("pool.autosize.mode", equalTo("on")).body("pool.autosize.configuredMaxSize", equalTo(4))
                    .body("pool.autosize.changes[0].direction", equalTo("lower"));
            given().when().get("/api/v1/pools/jobs").then().statusCode(200).body("pool.maxSize", equalTo(4))
                    .body("pool.autosize.changes[0].applied", equalTo(false));
            given().when().get("/api/v1/audit?type=pool.autosize").then().statusCode(200)
                    .body("find { it.pool == 'main' && it.direction == 'raise' }.applied", equalTo(true))
                    .body("find { it.pool == 'jobs' }.applied", equalTo(false));
            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("poolwatch_pool_autosize_changes_total{")
                    && l.contains("direction=\"raise\"") && l.contains("pool=\"main\"") && !l.endsWith(" 0.0")), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("poolwatch_pool_connections_max{")
                    && l.contains("pool=\"main\"") && l.endsWith(" 2.0")), metrics);
            String page = given().when().get("/pools/main").then().statusCode(200).extract().asString();
            assertTrue(page.contains("class=\"mark\""), "the pool page marks the changes on its charts");
        } finally {
            for (Connection c : otherApp) {
                c.close();
            }
            for (Connection c : burst) {
                c.close();
            }
        }
    }

    /** A session of another application on the server, not poolwatch's. */
    static Connection otherAppSession() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + cluster.port() + "/" + SmallPostgresCluster.DATABASE
                + "?ApplicationName=ledger-batch", SmallPostgresCluster.ROLE, "");
    }

    /** Reads pg_stat_activity every 50 ms and keeps the most sessions seen. */
    static final class Watcher implements AutoCloseable {
        final AtomicInteger mostPoolwatch = new AtomicInteger();
        final AtomicInteger mostClients = new AtomicInteger();
        final AtomicInteger mostMain = new AtomicInteger();
        final AtomicInteger mostJobs = new AtomicInteger();
        final AtomicLong reads = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Watcher(Connection c) {
            thread = new Thread(() -> {
                try (Statement st = c.createStatement()) {
                    while (!stop.get()) {
                        try (ResultSet rs = st
                                .executeQuery("SELECT count(*) FILTER (WHERE application_name LIKE 'poolwatch%'), "
                                        + "count(*), count(*) FILTER (WHERE application_name = 'poolwatch-main'), "
                                        + "count(*) FILTER (WHERE application_name = 'poolwatch-jobs') "
                                        + "FROM pg_stat_activity WHERE backend_type = 'client backend'")) {
                            rs.next();
                            mostPoolwatch.accumulateAndGet(rs.getInt(1), Math::max);
                            mostClients.accumulateAndGet(rs.getInt(2), Math::max);
                            mostMain.accumulateAndGet(rs.getInt(3), Math::max);
                            mostJobs.accumulateAndGet(rs.getInt(4), Math::max);
                            reads.incrementAndGet();
                        }
                        Thread.sleep(50);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "autosize-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }

    /** Callers that each take a connection, sleep 50 ms on the server and return it, until the limit; bounded. */
    static final class Load implements AutoCloseable {
        final AtomicLong commits = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        final AtomicLong lastTimeoutNanos = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService workers;

        Load(DataSource ds, int callers, Duration limit) {
            workers = Executors.newFixedThreadPool(callers, r -> {
                Thread t = new Thread(r, "autosize-load");
                t.setDaemon(true);
                return t;
            });
            long deadline = System.nanoTime() + limit.toNanos();
            for (int i = 0; i < callers; i++) {
                workers.submit(() -> {
                    while (!stop.get() && System.nanoTime() < deadline) {
                        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                            st.execute("SELECT pg_sleep(0.05)");
                            commits.incrementAndGet();
                        } catch (SQLException e) {
                            timeouts.incrementAndGet();
                            lastTimeoutNanos.set(System.nanoTime());
                        }
                    }
                });
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            workers.shutdown();
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
                throw new AssertionError("the load did not stop within 30 s");
            }
        }
    }

    /** poolwatch on the small server alone: the test resources other test classes share do not apply. */
    public static class OnASmallServer implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SmallServer.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /**
     * The cluster, and poolwatch on it: main autosized (on), jobs in dry-run, both with max-size 4, a 300 ms acquisition
     * timeout and fast cooldowns; sampled every second.
     */
    public static class SmallServer implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            cluster = SmallPostgresCluster.create(MAX_CONNECTIONS, RESERVED);
            return Map.ofEntries(
                    Map.entry("DATABASE_URL", cluster.seedUrl()),
                    Map.entry("poolwatch.pools.analytics.enabled", "false"),
                    Map.entry("poolwatch.pools.financial.enabled", "false"),
                    Map.entry("poolwatch.defaults.min-size", "1"),
                    Map.entry("poolwatch.defaults.max-size", "4"),
                    Map.entry("poolwatch.defaults.acquisition-timeout", "300ms"),
                    Map.entry("poolwatch.defaults.autosize.floor", "2"),
                    Map.entry("poolwatch.defaults.autosize.step", "2"),
                    Map.entry("poolwatch.defaults.autosize.wait-target", "50ms"),
                    Map.entry("poolwatch.defaults.autosize.raise-cooldown", "2s"),
                    Map.entry("poolwatch.defaults.autosize.lower-after", "3s"),
                    Map.entry("poolwatch.pools.main.min-size", "1"),
                    Map.entry("poolwatch.pools.main.max-size", "4"),
                    Map.entry("poolwatch.pools.main.autosize.mode", "on"),
                    Map.entry("poolwatch.pools.jobs.min-size", "1"),
                    Map.entry("poolwatch.pools.jobs.max-size", "4"),
                    Map.entry("poolwatch.pools.jobs.autosize.mode", "dry-run"),
                    Map.entry("poolwatch.sampling.interval", "1s"),
                    Map.entry("poolwatch.sampling.server-interval", "1s"),
                    Map.entry("poolwatch.sampling.spare-connections", Integer.toString(SPARE)));
        }

        @Override
        public void stop() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
