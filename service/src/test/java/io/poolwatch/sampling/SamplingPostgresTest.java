package io.poolwatch.sampling;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.pool.PoolCounters;
import io.poolwatch.pool.PoolRecorder;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.SlowStatement;
import io.poolwatch.pool.StatementRecorder;
import io.poolwatch.pool.UnknownWorkloadException;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** What the sampler, the API and /q/metrics report while real connections are held, exhausted, leaked and slow. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SamplingPostgresTest {

    @Inject
    PoolRegistry registry;

    @Inject
    PoolSampler sampler;

    @Test
    void heldConnectionsShowAsActiveAndUtilization() throws Exception {
        DataSource financial = registry.dataSource("financial");
        List<Connection> held = new ArrayList<>();
        try {
            held.add(financial.getConnection());
            held.add(financial.getConnection());
            sampler.sampleNow();
            PoolSnapshot s = sampler.latest("financial").orElseThrow();
            assertEquals(2, s.active());
            assertEquals(2.0 / 15, s.utilization(), 1e-9);
            assertEquals(s.open() - 2, s.idle());
            assertTrue(s.interval().acquired() >= 2, s.toString());
            assertTrue(s.checkout().count() >= 2, "every acquisition of a quiet pool is timed: " + s.checkout());
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        sampler.sampleNow();
        PoolSnapshot after = sampler.latest("financial").orElseThrow();
        assertEquals(0, after.active());
        assertTrue(after.lease().count() >= 2 && after.lease().max() > 0, after.lease().toString());
    }

    @Test
    void anExhaustedPoolShowsAwaitingTimeoutsAndTheErrorRate() throws Exception {
        DataSource jobs = registry.dataSource("jobs");
        PoolRecorder recorder = registry.pool("jobs").recorder();
        PoolCounters before = recorder.counters();
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(jobs.getConnection());
            }
            CountDownLatch done = new CountDownLatch(1);
            Thread waiter = new Thread(() -> {
                try (Connection c = jobs.getConnection()) {
                    c.isValid(1);
                } catch (SQLException expected) {
                    // the pool is full: the timeout is what this test is about
                } finally {
                    done.countDown();
                }
            });
            waiter.start();
            Await.until("a caller is awaiting a connection", () -> recorder.awaiting() == 1);
            sampler.sampleNow();
            assertEquals(1, sampler.latest("jobs").orElseThrow().awaiting());
            assertEquals(1.0, sampler.latest("jobs").orElseThrow().utilization(), 1e-9);
            assertTrue(done.await(5, TimeUnit.SECONDS));
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        PoolCounters delta = recorder.counters().minus(before);
        assertEquals(1, delta.failures());
        assertEquals(1, delta.timeouts());
        assertEquals(0, recorder.awaiting());
        sampler.sampleNow();
        assertTrue(sampler.latest("jobs").orElseThrow().errorRate() > 0);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metricValue(metrics, "poolwatch_pool_acquisition_timeouts_total", "jobs") >= 1, metrics);
        assertTrue(metricValue(metrics, "poolwatch_pool_acquisition_error_ratio", "jobs") > 0, metrics);
    }

    @Test
    void aLeakIsReportedWithTheHoldersStackAndThenAsReturned() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch leased = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (Connection c = registry.dataSource("jobs").getConnection()) {
                leased.countDown();
                release.await(20, TimeUnit.SECONDS);
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "leaky-worker");
        holder.start();
        try {
            assertTrue(leased.await(5, TimeUnit.SECONDS));
            Await.until("the leak is reported", () -> leaksOf("leaky-worker", true) == 1);
            JsonPath leak = given().when().get("/api/v1/pools/jobs/leaks").then().statusCode(200).extract().jsonPath();
            String prefix = "find { it.holderThread.startsWith('leaky-worker') && it.returnedAt == null }.";
            assertEquals("jobs", leak.getString(prefix + "pool"));
            assertTrue(leak.getList(prefix + "stack", String.class).stream().anyMatch(f -> f.contains("SamplingPostgresTest")),
                    leak.prettify());
            assertTrue(registry.pool("jobs").recorder().currentLeakCount() >= 1);
        } finally {
            release.countDown();
            holder.join(5000);
        }
        Await.until("the leak shows as returned",
                () -> leaksOf("leaky-worker", false) == 1 && leaksOf("leaky-worker", true) == 0);
        String metrics = given().when().get("/q/metrics").then().extract().asString();
        assertTrue(metricValue(metrics, "poolwatch_pool_leaks_detected_total", "jobs") >= 1, metrics);
    }

    private long leaksOf(String thread, boolean current) {
        return registry.pool("jobs").recorder().leaks().stream()
                .filter(l -> l.holderThread().startsWith(thread) && l.current() == current).count();
    }

    @Test
    void slowStatementsAreCountedWithTheirTextStripped() throws Exception {
        StatementRecorder statements = registry.pool("main").statements();
        long before = statements.slowStatements();
        try (Connection c = registry.dataSource("main").getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_sleep(0.3), 'card-4111111111111111' AS secret");
            st.execute("SELECT 1");
        }
        assertEquals(before + 1, statements.slowStatements());
        SlowStatement slow = statements.slowTexts().stream().filter(s -> s.sql().contains("pg_sleep")).findFirst()
                .orElseThrow();
        assertEquals("SELECT pg_sleep(?), ? AS secret", slow.sql());
        assertTrue(slow.longestMs() >= 290, slow.toString());
        given().when().get("/api/v1/pools/main").then().statusCode(200)
                .body("slowStatements.sql", hasItem("SELECT pg_sleep(?), ? AS secret"))
                .body(not(containsString("4111111111111111")));
        String metrics = given().when().get("/q/metrics").then().extract().asString();
        assertTrue(metricValue(metrics, "poolwatch_pool_statements_slow_total", "main") >= 1, metrics);
        assertFalse(metrics.contains("pg_sleep"), "statement text must never be a label");
    }

    @Test
    void metricsCarryNamesHelpAndLabels() {
        sampler.sampleNow();
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String pool : List.of("main", "jobs", "analytics", "financial")) {
            String labels = "{pool=\"" + pool + "\",role=\"primary\",workload=\"" + pool + "\"}";
            assertTrue(metrics.contains("poolwatch_pool_connections_active" + labels), labels);
            assertTrue(metrics.contains("poolwatch_pool_connections_max" + labels), labels);
            assertTrue(metrics.contains("poolwatch_pool_acquisitions_total" + labels), labels);
        }
        assertTrue(metrics.contains("# TYPE poolwatch_pool_acquisitions counter"), "counter type");
        assertTrue(metrics.contains("# HELP poolwatch_pool_connections_active Connections held by callers"));
        assertTrue(metrics.contains(
                "poolwatch_pool_checkout_seconds{pool=\"main\",quantile=\"0.95\",role=\"primary\",workload=\"main\"}"));
        assertEquals(15.0, metricValue(metrics, "poolwatch_pool_connections_max", "financial"));
    }

    @Test
    void theSeedStatusEndpointKeepsItsShapeAndResetStartsCountsAgain() throws Exception {
        given().when().get("/api/v1/database/pool/status").then().statusCode(200)
                .body("pool_class", equalTo("AgroalConnectionPool"))
                .body("pool", equalTo("main"))
                .body("metrics.connections.total", greaterThan(0))
                .body("metrics.performance.containsKey('avg_connection_time_ms')", equalTo(true))
                .body("metrics.performance.containsKey('avg_query_time_ms')", equalTo(true))
                .body("metrics.performance.containsKey('slow_queries')", equalTo(true))
                .body("metrics.events.containsKey('checkouts')", equalTo(true))
                .body("metrics.events.containsKey('disconnects')", equalTo(true))
                .body("pool_config.size", equalTo(2))
                .body("pool_config.max_overflow", equalTo(28))
                .body("pool_config.timeout", equalTo(30.0f))
                .body("pool_config.recycle", equalTo(3600))
                .body("pool_config.pre_ping", equalTo(true))
                .body("pools.keySet()", contains("main", "jobs", "analytics", "financial"))
                .body("pools.jobs.pool_config.size", equalTo(1));

        try (Connection c = registry.dataSource("analytics").getConnection()) {
            c.isValid(1);
        }
        given().when().get("/api/v1/database/pool/status?pool=analytics").then().body("metrics.events.checkouts",
                greaterThan(0));
        given().contentType(ContentType.JSON).when().post("/api/v1/pools/analytics/reset-metrics").then().statusCode(200)
                .body("reset", contains("analytics"));
        given().when().get("/api/v1/database/pool/status?pool=analytics").then()
                .body("metrics.events.checkouts", equalTo(0))
                .body("metrics.connections.total", greaterThan(0));
        try (Connection c = registry.dataSource("analytics").getConnection()) {
            c.isValid(1);
        }
        given().when().get("/api/v1/database/pool/status?pool=analytics").then().body("metrics.events.checkouts", equalTo(1));
        given().contentType(ContentType.JSON).when().post("/api/v1/database/pool/reset-metrics").then().statusCode(200)
                .body("reset", contains("main", "jobs", "analytics", "financial"));
    }

    @Test
    void historyIsKept() {
        sampler.sampleNow();
        sampler.sampleNow();
        given().when().get("/api/v1/pools/financial").then().statusCode(200)
                .body("pool.name", equalTo("financial"))
                .body("history.size()", greaterThan(1))
                .body("history[-1].pool", equalTo("financial"))
                .body("history[-1].maxSize", equalTo(15));
    }

    @Test
    void unknownPoolsAreAJson404Everywhere() {
        for (String path : List.of("/api/v1/pools/nope", "/api/v1/pools/nope/leaks",
                "/api/v1/database/pool/status?pool=nope")) {
            given().when().get(path).then().statusCode(404).contentType("application/json")
                    .body("error", containsString("'nope'")).body("status", equalTo(404));
        }
        given().contentType(ContentType.JSON).when().post("/api/v1/pools/nope/reset-metrics").then().statusCode(404)
                .body("error", containsString("main, jobs"));
        assertThrows(UnknownWorkloadException.class, () -> sampler.latest("nope"));
    }

    /** The value of one sample line of a metric for a pool. */
    static double metricValue(String scrape, String name, String pool) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") && line.contains("pool=\"" + pool + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " for pool " + pool);
    }
}
