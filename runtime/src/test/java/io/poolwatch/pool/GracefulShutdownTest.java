package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/** Shutdown lets in-flight work finish within the bound, then leaves no connection open on the server. */
class GracefulShutdownTest {

    private static PoolGroup open(String applicationName) throws SQLException {
        TestDatabases.Server pg = TestDatabases.postgres();
        ResolvedConfiguration config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.pools.jobs.application-name", applicationName,
                "poolwatch.pools.jobs.min-size", "3",
                "poolwatch.pools.jobs.max-size", "4"), "jobs"), Map.of("DATABASE_URL", pg.seedUrl()));
        return PoolGroup.open(config.pools(), config.monitoring());
    }

    @Test
    void inFlightWorkFinishesThenEveryConnectionCloses() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        String app = "pw-drain-" + ProcessHandle.current().pid();
        PoolGroup pools = open(app);
        assertEquals(3, TestDatabases.awaitSessions(pg, app, 3));

        CountDownLatch leased = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<String> result = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try (Connection c = pools.get("jobs").dataSource().getConnection(); Statement st = c.createStatement()) {
                leased.countDown();
                try (ResultSet rs = st.executeQuery("SELECT pg_sleep(0.8), 'finished'")) {
                    rs.next();
                    result.set(rs.getString(2));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker.start();
        assertTrue(leased.await(5, TimeUnit.SECONDS));

        assertTrue(pools.drainAndClose(Duration.ofSeconds(10)), "the lease should come back within the bound");
        worker.join();
        assertNull(failure.get(), () -> "in-flight work failed: " + failure.get());
        assertEquals("finished", result.get());
        assertEquals(0, TestDatabases.awaitSessions(pg, app, 0), "no connection may stay open on the server");
        assertThrows(SQLException.class, () -> pools.get("jobs").dataSource().getConnection());
    }

    @Test
    void workPastTheBoundIsCutAndNothingStaysOpen() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        String app = "pw-cut-" + ProcessHandle.current().pid();
        PoolGroup pools = open(app);
        Connection held = pools.get("jobs").dataSource().getConnection();
        try {
            assertFalse(pools.drainAndClose(Duration.ofMillis(300)), "a lease still out must be reported");
            assertEquals(0, TestDatabases.awaitSessions(pg, app, 0), "the leased connection is closed too");
        } finally {
            try {
                held.close();
            } catch (SQLException e) {
                // already closed by the pool
            }
        }
    }
}
