package io.poolwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The pools' figures under OpenTelemetry's semantic-convention names in the Prometheus scrape at /q/metrics, as
 * Micrometer renders them, moving with real connections borrowed from the test PostgreSQL and agreeing with
 * poolwatch's own meters. (PostgresTestResource: jobs 1..3 connections with a 300 ms acquisition timeout; analytics
 * keeps its built-in 1..5 and 60 s.)
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SemanticConventionMetricsTest {

    @Inject
    PoolRegistry registry;

    /**
     * The tests borrow pools up to their max-size; the connections they return stay open as idle ones until idle removal.
     * Close them now, and fill back to min-size, so the next test class in this application finds each pool as it starts.
     */
    @AfterEach
    void closeTheConnectionsOpenedHere() {
        registry.pools().forEach(p -> {
            p.dataSource().flush(AgroalDataSource.FlushMode.IDLE);
            p.dataSource().flush(AgroalDataSource.FlushMode.FILL);
        });
    }

    /** One series' value: the line with exactly this name and these labels (in the scrape's alphabetical order). */
    static double scraped(String scrape, String metric, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric + "{" + labels + "}") + " (\\S+)$").matcher(scrape);
        assertTrue(m.find(), metric + "{" + labels + "} is not in the scrape");
        return Double.parseDouble(m.group(1));
    }

    static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static String pool(String name) {
        return "db_client_connection_pool_name=\"" + name + "\"";
    }

    private static String state(String name, String state) {
        return pool(name) + ",db_client_connection_state=\"" + state + "\"";
    }

    private static String own(String name) {
        return "pool=\"" + name + "\",role=\"primary\",workload=\"" + name + "\"";
    }

    private static double used(String pool) {
        return scraped(scrape(), "db_client_connection_count", state(pool, "used"));
    }

    private static double pending(String pool) {
        return scraped(scrape(), "db_client_connection_pending_requests", pool(pool));
    }

    @Test
    void usedAndIdleConnectionsFollowBorrowedConnectionsAndAgreeWithPoolwatchsOwnMeters() throws Exception {
        DataSource analytics = registry.dataSource("analytics");
        double usedBefore = used("analytics");
        List<Connection> held = new ArrayList<>();
        try {
            held.add(analytics.getConnection());
            held.add(analytics.getConnection());
            Await.until("two more analytics connections in use", () -> used("analytics") == usedBefore + 2);
            String scrape = scrape();
            double used = scraped(scrape, "db_client_connection_count", state("analytics", "used"));
            double idle = scraped(scrape, "db_client_connection_count", state("analytics", "idle"));
            assertEquals(scraped(scrape, "poolwatch_pool_connections_active", own("analytics")), used);
            assertEquals(scraped(scrape, "poolwatch_pool_connections_idle", own("analytics")), idle);
            assertEquals(scraped(scrape, "poolwatch_pool_connections_open", own("analytics")), used + idle);
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        Await.until("the two back", () -> used("analytics") == usedBefore);
        // Returned, they stay open as idle connections until idle removal closes them.
        assertTrue(scraped(scrape(), "db_client_connection_count", state("analytics", "idle")) >= 2);
    }

    @Test
    void maxAndIdleBoundsAreThePoolsSizes() {
        String scrape = scrape();
        assertEquals(3, scraped(scrape, "db_client_connection_max", pool("jobs")));
        assertEquals(3, scraped(scrape, "db_client_connection_idle_max", pool("jobs")));
        assertEquals(1, scraped(scrape, "db_client_connection_idle_min", pool("jobs")));
        assertEquals(5, scraped(scrape, "db_client_connection_max", pool("analytics")));
        assertEquals(1, scraped(scrape, "db_client_connection_idle_min", pool("analytics")));
        assertEquals(2, scraped(scrape, "db_client_connection_idle_min", pool("main")));
        assertEquals(scraped(scrape, "poolwatch_pool_connections_max", own("main")),
                scraped(scrape, "db_client_connection_max", pool("main")));
    }

    @Test
    void pendingRequestsCountsCallersWaitingForAConnection() throws Exception {
        DataSource analytics = registry.dataSource("analytics");
        assertEquals(0, pending("analytics"));
        List<Connection> held = new ArrayList<>();
        CompletableFuture<Void> waiter = null;
        try {
            for (int i = 0; i < 5; i++) {
                held.add(analytics.getConnection());
            }
            // Every connection is out: the next caller waits (up to analytics' 60 s acquisition timeout).
            waiter = CompletableFuture.runAsync(() -> {
                try (Connection c = analytics.getConnection()) {
                    c.isValid(1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("one caller waiting on analytics", () -> pending("analytics") == 1);
            assertEquals(1, scraped(scrape(), "poolwatch_pool_connections_awaiting", own("analytics")));
            held.remove(0).close();
            waiter.get(10, TimeUnit.SECONDS);
            Await.until("nobody waiting on analytics", () -> pending("analytics") == 0);
        } finally {
            for (Connection c : held) {
                c.close();
            }
            if (waiter != null) {
                waiter.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void timeoutsCountsCallersThatGaveUpWaiting() throws Exception {
        DataSource jobs = registry.dataSource("jobs");
        double before = scraped(scrape(), "db_client_connection_timeouts_total", pool("jobs"));
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(jobs.getConnection());
            }
            assertThrows(SQLException.class, jobs::getConnection);
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        String scrape = scrape();
        assertEquals(before + 1, scraped(scrape, "db_client_connection_timeouts_total", pool("jobs")));
        assertEquals(scraped(scrape, "poolwatch_pool_acquisition_timeouts_total", own("jobs")),
                scraped(scrape, "db_client_connection_timeouts_total", pool("jobs")));
        assertTrue(scrape.contains("# TYPE db_client_connection_timeouts counter"), "timeouts is a counter");
        assertTrue(scrape.contains("# TYPE db_client_connection_count gauge"), "count is a gauge");
    }
}
