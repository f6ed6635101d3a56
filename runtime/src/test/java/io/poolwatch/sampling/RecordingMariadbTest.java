package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.poolwatch.pool.LeakRecord;
import io.poolwatch.pool.PoolCounters;
import io.poolwatch.pool.PoolGroup;
import io.poolwatch.pool.PoolRecorder;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/** The recorders against the real MariaDB server: holds, timeouts, a leak and a slow statement. */
class RecordingMariadbTest {

    private static PoolGroup pools;

    @BeforeAll
    static void open() throws SQLException {
        String url = TestDatabases.mariadbUrl();
        var config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.pools.jobs.url", url,
                "poolwatch.pools.jobs.min-size", "1",
                "poolwatch.pools.jobs.max-size", "2",
                "poolwatch.pools.jobs.acquisition-timeout", "300ms",
                // Well above the ~0.6 s the second connection is held (a 300ms timeout, then a 0.3 s statement), so that
                // only the holder's is a leak even on a loaded machine.
                "poolwatch.pools.jobs.leak-detection-interval", "2s"), "jobs"),
                Map.of("DB_SLOW_QUERY_THRESHOLD", "0.2"));
        pools = PoolGroup.open(config.pools(), config.monitoring());
    }

    @AfterAll
    static void close() {
        if (pools != null) {
            pools.close();
        }
    }

    @Test
    void holdsTimeoutsLeaksAndSlowStatements() throws Exception {
        WorkloadPool jobs = pools.get("jobs");
        PoolRecorder recorder = jobs.recorder();
        PoolCounters before = recorder.counters();

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch leased = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (Connection c = jobs.dataSource().getConnection()) {
                leased.countDown();
                release.await(20, TimeUnit.SECONDS);
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "mariadb-holder");
        holder.start();
        try {
            assertTrue(leased.await(5, TimeUnit.SECONDS));
            try (Connection second = jobs.dataSource().getConnection(); Statement st = second.createStatement()) {
                assertEquals(2, recorder.leased());
                assertThrows(SQLException.class, () -> jobs.dataSource().getConnection());
                st.executeQuery("SELECT SLEEP(0.3), 'iban-DE89370400440532013000'").close();
            }
            Await.until("the leak is reported", () -> recorder.currentLeakCount() == 1);
            LeakRecord leak = recorder.leaks().get(0);
            assertTrue(leak.holderThread().startsWith("mariadb-holder"), leak.toString());
            assertTrue(leak.stack().stream().anyMatch(f -> f.contains("RecordingMariadbTest")), leak.stack().toString());
        } finally {
            release.countDown();
            holder.join(5000);
        }
        Await.until("the leak shows as returned", () -> recorder.currentLeakCount() == 0);
        assertTrue(recorder.leaks().get(0).returnedAt().isPresent());

        PoolCounters delta = recorder.counters().minus(before);
        assertEquals(3, delta.attempts());
        assertEquals(2, delta.acquired());
        assertEquals(2, delta.returned());
        assertEquals(1, delta.timeouts());
        assertEquals(1, delta.leaks(), () -> recorder.leaks().toString());
        assertEquals(0, recorder.leased());
        assertEquals(1, jobs.statements().slowStatements(), () -> jobs.statements().slowTexts().toString());
        assertEquals("SELECT SLEEP(?), ?", jobs.statements().slowTexts().get(0).sql());
    }
}
