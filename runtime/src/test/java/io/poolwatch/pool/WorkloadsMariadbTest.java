package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.config.TransactionSettings;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/** {@link Workloads#inTransaction} against the real MariaDB: an InnoDB deadlock (error 1213) is retried and commits. */
class WorkloadsMariadbTest {

    private static final String TABLE = "workloads_tx_" + Long.toHexString(System.nanoTime());

    private static PoolGroup pools;
    private static String url;

    @BeforeAll
    static void open() throws SQLException {
        url = TestDatabases.mariadbUrl();
        ResolvedConfiguration config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.pools.main.min-size", "0",
                "poolwatch.pools.main.max-size", "2"), "main"),
                Map.of("DATABASE_URL", "mysql://root:@127.0.0.1:3306/" + TestDatabases.DATABASE));
        pools = PoolGroup.open(config.pools(), config.monitoring());
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB");
            st.execute("INSERT INTO " + TABLE + " VALUES (1, 0), (2, 0)");
            for (int i = 3; i <= 30; i++) {
                st.execute("INSERT INTO " + TABLE + " VALUES (" + i + ", 0)");
            }
        }
    }

    @AfterAll
    static void close() throws SQLException {
        if (url != null) {
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + TABLE);
            }
        }
        if (pools != null) {
            pools.close();
        }
    }

    private static void add(Connection c, String where, int amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET n = n + ? WHERE " + where)) {
            ps.setInt(1, amount);
            ps.executeUpdate();
        }
    }

    private static int n(int id) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT n FROM " + TABLE + " WHERE id = " + id)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void anInnodbDeadlockVictimIsRetriedAndCommits() throws Exception {
        Workloads workloads = new Workloads(name -> pools.get(name).dataSource(), (name, s) -> pools.get(name).dataSource(),
                new TransactionSettings(3, Duration.ofMillis(1), Duration.ofMillis(20)));
        CountDownLatch workLocked = new CountDownLatch(1);
        CountDownLatch otherLocked = new CountDownLatch(1);
        // The other transaction changes many rows, so InnoDB picks ours, the lighter one, as the deadlock's victim.
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
            try (Connection c = DriverManager.getConnection(url)) {
                c.setAutoCommit(false);
                add(c, "id >= 2", 10);
                otherLocked.countDown();
                assertTrue(workLocked.await(10, TimeUnit.SECONDS));
                add(c, "id = 1", 10);
                c.commit();
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicInteger runs = new AtomicInteger();
        List<Integer> codes = new ArrayList<>();
        workloads.runInTransaction("main", c -> {
            runs.incrementAndGet();
            try {
                add(c, "id = 1", 1);
                workLocked.countDown();
                assertTrue(otherLocked.await(10, TimeUnit.SECONDS));
                add(c, "id = 2", 1);
            } catch (SQLException e) {
                codes.add(e.getErrorCode());
                throw e;
            }
        });
        other.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(1213), codes, "the first run was the deadlock's victim");
        assertEquals(2, runs.get());
        assertEquals(11, n(1));
        assertEquals(11, n(2));
        assertEquals(1, workloads.transactionCounts().retries("main", "deadlock"));

        IllegalStateException refused = new IllegalStateException("refused");
        assertSame(refused, assertThrows(IllegalStateException.class, () -> workloads.runInTransaction("main", c -> {
            add(c, "id = 3", 1000);
            throw refused;
        })));
        assertEquals(10, n(3), "the rolled-back update left nothing");
    }
}
