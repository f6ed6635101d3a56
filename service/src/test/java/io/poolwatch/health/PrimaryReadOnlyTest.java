package io.poolwatch.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.alerting.Alert;
import io.poolwatch.alerting.AlertState;
import io.poolwatch.alerting.Alerting;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.ReplicaCluster;
import io.poolwatch.testing.TestDatabases;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Critical workloads that write, pointed at a real PostgreSQL standby (as after a failover that left their URL on the old
 * primary, now following the new one). {@code main} connects there and finds at its first connection that the server
 * refuses writes; {@code financial}, whose sessions are serializable, cannot even open a connection on a standby, and is
 * known to be on one through poolwatch's monitoring connection. Both are "primary is read-only": readiness is DOWN with
 * that reason, the critical primary-read-only alert fires for each and unhealthy-pools does not (the database answers),
 * and the audit log, the API and the metrics say main's server refuses writes. {@code jobs} stays on the primary.
 */
@QuarkusTest
@WithTestResource(PrimaryReadOnlyTest.OnAStandby.class)
class PrimaryReadOnlyTest {

    @Inject
    Alerting alerting;

    @Test
    void writingPoolsOnAStandbyAreDownWithTheirReasonAndAlertedOn() throws Exception {
        ReplicaCluster.require();
        Await.within("readiness DOWN, primary is read-only", Duration.ofSeconds(30),
                () -> given().when().get("/q/health/ready").statusCode() == 503);
        for (String pool : List.of("main", "financial")) {
            Await.within(pool + " is primary is read-only", Duration.ofSeconds(30),
                    () -> given().when().get("/q/health/ready").then().extract().path(
                            "checks.find { it.name == 'poolwatch-pools' }.data." + pool).toString()
                            .contains("primary is read-only: its server refuses writes"));
        }
        given().when().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'poolwatch-pools' }.data.jobs", startsWith("UP"));

        List<Alert> alerts = alerting.evaluateNow();
        for (String pool : List.of("main", "financial")) {
            Alert readOnly = alerts.stream()
                    .filter(a -> a.name().equals("primary-read-only") && pool.equals(a.labels().get("pool"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no primary-read-only alert for " + pool + ": " + alerts));
            assertEquals(AlertState.FIRING, readOnly.state());
            assertEquals("critical", readOnly.labels().get("severity"));
        }
        assertTrue(alerts.stream().noneMatch(a -> a.name().equals("unhealthy-pools") && a.state() == AlertState.FIRING),
                "the standby answers, so no pool is unhealthy: " + alerts);
        assertTrue(alerts.stream().noneMatch(a -> a.name().equals("primary-read-only") && "jobs".equals(a.labels().get("pool"))
                && a.state() == AlertState.FIRING), "jobs is on the primary: " + alerts);

        given().when().get("/api/v1/pools/main").then().statusCode(200).body("pool.server.role", equalTo("read-only"))
                .body("pool.server.primaryReadOnly", equalTo(true));
        // financial never opened a connection: the API and the gauges say what the monitoring connection was told, as
        // health and the alert do.
        given().when().get("/api/v1/pools/financial").then().statusCode(200).body("pool.server.role", equalTo("read-only"))
                .body("pool.server.primaryReadOnly", equalTo(true));
        given().when().get("/api/v1/pools/jobs").then().statusCode(200).body("pool.server.role", equalTo("primary"))
                .body("pool.server.primaryReadOnly", equalTo(false));
        // The audit log has the event: main's server refuses writes, at its first connection.
        given().when().get("/api/v1/audit?type=pool.server-role").then().statusCode(200)
                .body("find { it.pool == 'main' }.role", equalTo("read-only"))
                .body("find { it.pool == 'main' }.primaryReadOnly", equalTo(true));
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("poolwatch_pool_server_read_only{")
                && l.contains("pool=\"main\"") && l.endsWith(" 1.0")), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("poolwatch_pool_server_read_only{")
                && l.contains("pool=\"jobs\"") && l.endsWith(" 0.0")), metrics);
        for (String pool : List.of("main", "financial")) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("poolwatch_pool_primary_read_only{")
                    && l.contains("pool=\"" + pool + "\"") && l.endsWith(" 1.0")), pool + ": " + metrics);
        }
    }

    /** The test PostgreSQL for jobs; its first standby for main and financial; analytics off; fast validation. */
    public static class OnAStandby implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>();
            config.put("DATABASE_URL", TestDatabases.postgres().seedUrl());
            config.put("poolwatch.pools.analytics.enabled", "false");
            for (String pool : List.of("main", "jobs", "financial")) {
                config.put("poolwatch.pools." + pool + ".min-size", "1");
            }
            config.put("poolwatch.health.validation-interval", "250ms");
            ReplicaCluster.available().ifPresent(standbys -> {
                config.put("poolwatch.pools.main.url", standbys.get(0).seedUrl());
                config.put("poolwatch.pools.financial.url", standbys.get(0).seedUrl());
            });
            return config;
        }

        @Override
        public void stop() {
            // The standbys outlive the application: other test classes use them, and the JVM's exit removes them.
        }
    }
}
