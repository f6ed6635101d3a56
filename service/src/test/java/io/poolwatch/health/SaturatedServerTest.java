package io.poolwatch.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.testing.SmallPostgresCluster;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A full server is not a dead one, on a real PostgreSQL with 20 slots: the database runs first, then poolwatch, then a
 * load that asks for every slot. Readiness stays ready while the workloads commit, the server is reported saturated and
 * {@code server-connections} fires. Then poolwatch's monitoring session is ended from the server's side while the server
 * is full: a workload takes its slot, poolwatch is refused, and readiness holds on the workloads' evidence. Then the server
 * restarts under the same load: readiness is back within a bound, with poolwatch's monitoring connection in. The figures are
 * printed (lines starting {@code FIGURE}).
 */
@QuarkusTest
@TestProfile(SaturatedServerProfile.class)
class SaturatedServerTest {

    @Inject
    PoolRegistry registry;

    @TestHTTPResource("/")
    URL root;

    @Test
    void fullServerKeepsReadinessAndRecoversFromRestartUnderLoad() throws Exception {
        SmallPostgresCluster cluster = SaturatedServerProfile.cluster;
        HttpClient http = HttpClient.newHttpClient();
        String base = root.toString().replaceAll("/$", "");
        SaturationScenario.await("readiness UP before the load", Duration.ofSeconds(30),
                () -> SaturationScenario.get(http, base + "/q/health/ready").status() == 200);

        try (SaturationScenario.Load load = new SaturationScenario.Load(
                List.of(registry.dataSource("main"), registry.dataSource("jobs")), 16,
                Duration.ofSeconds(150), 2_000_000)) {
            // a) every slot asked for: the server is saturated, readiness must hold while the workloads commit.
            boolean saturated;
            boolean alerted;
            Map<Integer, Long> duringSaturation;
            try (SaturationScenario.ReadinessWatcher watcher = new SaturationScenario.ReadinessWatcher(http,
                    base + "/q/health/ready")) {
                saturated = SaturationScenario.within(Duration.ofSeconds(30),
                        () -> SaturationScenario.get(http, base + "/api/v1/server").body().contains("\"saturated\":true"));
                alerted = SaturationScenario.within(Duration.ofSeconds(15), () -> serverConnectionsAlert(http, base));
                // Saturated for a while longer, every slot still asked for.
                long commitsBefore = load.commits.get();
                SaturationScenario.within(Duration.ofSeconds(5), () -> false);
                System.out.printf("FIGURE a) saturated: %d commits in 5 s, %d failed attempts so far, server sessions %s%n",
                        load.commits.get() - commitsBefore, load.failures.get(), SaturationScenario.sessions(cluster));
                duringSaturation = watcher.counts();
                System.out.printf(
                        "FIGURE a) readiness answers during saturation by HTTP status: %s; first not-ready answers: %s%n",
                        duringSaturation, watcher.notReady);
            }
            SaturationScenario.Answer health = SaturationScenario.get(http, base + "/api/v1/health");
            SaturationScenario.Answer server = SaturationScenario.get(http, base + "/api/v1/server");
            System.out.printf("FIGURE a) /api/v1/health %d: %s%n", health.status(), health.body());

            // The monitoring connection is lost while the server is full: a workload takes its slot, poolwatch is refused
            // (53300), and readiness rests on what the workloads complete: DEGRADED with that evidence, never DOWN.
            terminateMonitor(cluster);
            Map<Integer, Long> monitorRefused;
            boolean evidenceShown;
            String evidence;
            try (SaturationScenario.ReadinessWatcher watcher = new SaturationScenario.ReadinessWatcher(http,
                    base + "/q/health/ready")) {
                String[] seen = new String[1];
                evidenceShown = SaturationScenario.within(Duration.ofSeconds(20), () -> {
                    String body = SaturationScenario.get(http, base + "/q/health/ready").body();
                    Matcher m = Pattern
                            .compile("\"main\":\\s*\"(DEGRADED[^\"]*monitoring connection refused \\(53300[^\"]*)\"")
                            .matcher(body);
                    if (m.find()) {
                        seen[0] = m.group(1);
                        return true;
                    }
                    return false;
                });
                evidence = seen[0];
                SaturationScenario.within(Duration.ofSeconds(3), () -> false);
                monitorRefused = watcher.counts();
            }
            System.out.printf(
                    "FIGURE a') monitoring connection refused while full: readiness answers by HTTP status %s; main: %s%n",
                    monitorRefused, evidence);

            // c) restart under load: time until ready again, and the monitoring connection back.
            cluster.stop();
            cluster.start();
            long restarted = System.nanoTime();
            Instant restartedAt = Instant.now();
            // Ready again: 200 from a validation of the restarted server, not a cached answer from before.
            boolean upAgain = SaturationScenario.within(Duration.ofSeconds(90), () -> {
                SaturationScenario.Answer ready = SaturationScenario.get(http, base + "/q/health/ready");
                Matcher m = Pattern
                        .compile("\"main\":\\s*\"(?:UP|DEGRADED)[^\"]*last successful validation ([0-9TZ:.\\-]+)")
                        .matcher(ready.body());
                return ready.status() == 200 && m.find() && Instant.parse(m.group(1)).isAfter(restartedAt);
            });
            double seconds = (System.nanoTime() - restarted) / 1e9;
            System.out.printf(
                    "FIGURE c) readiness %s %.1f s after the restart under load; %s; sessions %s; readiness now: %s%n",
                    upAgain ? "UP" : "not UP", seconds, SaturationScenario.monitorOrder(cluster),
                    SaturationScenario.sessions(cluster),
                    SaturationScenario.get(http, base + "/q/health/ready").body());
            boolean committingAfter = SaturationScenario.within(Duration.ofSeconds(20),
                    () -> load.committingWithin(Duration.ofSeconds(1)));

            assertTrue(load.commits.get() > 100, "the workloads committed: " + load.commits.get());
            assertEquals(0L, duringSaturation.getOrDefault(503, 0L),
                    "readiness never answered 503 during the saturation: " + duringSaturation);
            assertTrue(duringSaturation.getOrDefault(200, 0L) > 10,
                    "readiness answered 200 during the saturation: " + duringSaturation);
            assertTrue(saturated, "the server is reported saturated in /api/v1/server: " + server.body());
            assertTrue(server.body().contains("53300"), "the refusal is quoted in /api/v1/server: " + server.body());
            assertEquals(200, health.status(), health.body());
            assertTrue(health.body().contains("\"server_slots\":{") && health.body().contains("53300"),
                    "/api/v1/health reports the saturation: " + health.body());
            assertTrue(alerted, "server-connections fires for the saturated server");
            assertTrue(evidenceShown, "with the monitoring connection refused, readiness shows the workloads' evidence");
            assertTrue(evidence.contains("workloads on this database completed"), evidence);
            assertEquals(0L, monitorRefused.getOrDefault(503, 0L),
                    "never 503 while the monitoring connection is refused: " + monitorRefused);
            assertTrue(upAgain, "readiness is UP again within 90 s of the restart under load");
            assertTrue(SaturationScenario.monitorOrder(cluster).startsWith("monitor in"),
                    SaturationScenario.monitorOrder(cluster));
            assertTrue(committingAfter, "the workloads commit again after the restart");
        }
    }

    /** Ends poolwatch's monitoring session from the server's side, as the superuser (who has reserved slots). */
    private static void terminateMonitor(SmallPostgresCluster cluster) throws SQLException {
        try (Connection c = cluster.connectAsSuperuser("postgres"); Statement st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'poolwatch-monitor'");
        }
    }

    static boolean serverConnectionsAlert(HttpClient http, String base) {
        String body = SaturationScenario.get(http, base + "/api/v1/alerts").body();
        return Pattern.compile("\"state\":\"firing\",\"labels\":\\{[^}]*\"alertname\":\"server-connections\"")
                .matcher(body).find();
    }
}
