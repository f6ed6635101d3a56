package io.poolwatch.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.testing.SmallPostgresCluster;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The other start order on a real PostgreSQL with 20 slots: poolwatch starts while the database is down (it must start,
 * not ready), then the database starts (ready again without a restart of poolwatch, its monitoring connection in), then
 * a load asks for every slot: readiness holds while the workloads commit, the server is reported saturated and
 * {@code server-connections} fires. The figures are printed (lines starting {@code FIGURE}).
 */
@QuarkusTest
@TestProfile(SaturatedServerProfile.ServerDownAtStart.class)
class SaturatedServerDownAtStartTest {

    @Inject
    PoolRegistry registry;

    @TestHTTPResource("/")
    URL root;

    @Test
    void startsWithoutTheDatabaseThenHoldsReadinessWhenItFills() throws Exception {
        SmallPostgresCluster cluster = SaturatedServerProfile.cluster;
        HttpClient http = HttpClient.newHttpClient();
        String base = root.toString().replaceAll("/$", "");
        // Started although the database is down; not ready, as the critical workload cannot reach it.
        SaturationScenario.await("readiness DOWN while the database is down", Duration.ofSeconds(30),
                () -> SaturationScenario.get(http, base + "/q/health/ready").status() == 503);
        assertEquals(200, SaturationScenario.get(http, base + "/q/health/live").status());

        cluster.start();
        long started = System.nanoTime();
        SaturationScenario.await("readiness UP once the database runs", Duration.ofSeconds(60),
                () -> SaturationScenario.get(http, base + "/q/health/ready").status() == 200);
        System.out.printf("FIGURE b) readiness UP %.1f s after the database started%n", (System.nanoTime() - started) / 1e9);

        try (SaturationScenario.Load load = new SaturationScenario.Load(
                List.of(registry.dataSource("main"), registry.dataSource("jobs")), 16,
                Duration.ofSeconds(60), 2_000_000)) {
            boolean saturated;
            boolean alerted;
            Map<Integer, Long> duringSaturation;
            try (SaturationScenario.ReadinessWatcher watcher = new SaturationScenario.ReadinessWatcher(http,
                    base + "/q/health/ready")) {
                saturated = SaturationScenario.within(Duration.ofSeconds(30),
                        () -> SaturationScenario.get(http, base + "/api/v1/server").body().contains("\"saturated\":true"));
                alerted = SaturationScenario.within(Duration.ofSeconds(15),
                        () -> SaturatedServerTest.serverConnectionsAlert(http, base));
                long commitsBefore = load.commits.get();
                SaturationScenario.within(Duration.ofSeconds(5), () -> false);
                System.out.printf("FIGURE b) saturated: %d commits in 5 s, %d failed attempts so far, server sessions %s; %s%n",
                        load.commits.get() - commitsBefore, load.failures.get(), SaturationScenario.sessions(cluster),
                        SaturationScenario.monitorOrder(cluster));
                duringSaturation = watcher.counts();
                System.out.printf(
                        "FIGURE b) readiness answers during saturation by HTTP status: %s; first not-ready answers: %s%n",
                        duringSaturation, watcher.notReady);
            }
            SaturationScenario.Answer server = SaturationScenario.get(http, base + "/api/v1/server");
            assertTrue(load.commits.get() > 100, "the workloads committed: " + load.commits.get());
            assertEquals(0L, duringSaturation.getOrDefault(503, 0L),
                    "readiness never answered 503 during the saturation: " + duringSaturation);
            assertTrue(duringSaturation.getOrDefault(200, 0L) > 10,
                    "readiness answered 200 during the saturation: " + duringSaturation);
            assertTrue(saturated, "the server is reported saturated in /api/v1/server: " + server.body());
            assertTrue(alerted, "server-connections fires for the saturated server");
            assertTrue(SaturationScenario.monitorOrder(cluster).startsWith("monitor in"),
                    SaturationScenario.monitorOrder(cluster));
        }
    }
}
