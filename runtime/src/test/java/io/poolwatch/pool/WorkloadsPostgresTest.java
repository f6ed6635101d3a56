package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.config.TransactionSettings;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/**
 * {@link Workloads#inTransaction} against a real PostgreSQL: real serialization failures and a real deadlock are
 * retried until the transaction commits, a failing transaction leaves nothing behind, and retries are bounded.
 */
class WorkloadsPostgresTest {

    private static final String TABLE = "workloads_tx_" + Long.toHexString(System.nanoTime());
    private static final String ROWS = TABLE + "_rows";

    private static PoolGroup pools;
    private static TestDatabases.Server server;
    private Workloads workloads;

    @BeforeAll
    static void open() throws SQLException {
        server = TestDatabases.postgres();
        ResolvedConfiguration config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.pools.main.min-size", "0",
                "poolwatch.pools.main.max-size", "2",
                "poolwatch.pools.main.acquisition-timeout", "2s",
                "poolwatch.pools.financial.min-size", "0",
                "poolwatch.pools.financial.max-size", "2"), "main", "financial"),
                Map.of("DATABASE_URL", server.seedUrl()));
        pools = PoolGroup.open(config.pools(), config.monitoring());
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + TABLE + " (id int PRIMARY KEY, n int NOT NULL)");
            st.execute("CREATE TABLE " + ROWS + " (id int PRIMARY KEY)");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + TABLE + ", " + ROWS);
        }
        if (pools != null) {
            pools.close();
        }
    }

    @BeforeEach
    void reset() throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE " + TABLE + ", " + ROWS);
            st.execute("INSERT INTO " + TABLE + " VALUES (1, 0), (2, 0)");
        }
        workloads = workloads(new TransactionSettings(3, Duration.ofMillis(1), Duration.ofMillis(20)));
    }

    private Workloads workloads(TransactionSettings settings) {
        return new Workloads(name -> pools.get(name).dataSource(), (name, strategy) -> pools.get(name).dataSource(), settings);
    }

    private double transactions(String workload, String outcome) {
        return workloads.transactionCounts().transactions(workload, outcome);
    }

    private double retries(String workload, String reason) {
        return workloads.transactionCounts().retries(workload, reason);
    }

    private static int n(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT n FROM " + TABLE + " WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int n(int id) throws SQLException {
        try (Connection c = server.connect()) {
            return n(c, id);
        }
    }

    private static void add(Connection c, int id, int amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET n = n + ? WHERE id = ?")) {
            ps.setInt(1, amount);
            ps.setInt(2, id);
            ps.executeUpdate();
        }
    }

    /** Another session commits a change to the row after {@code c}'s snapshot was taken. */
    private static void concurrentUpdate(int id, int amount) throws SQLException {
        try (Connection other = server.connect()) {
            add(other, id, amount);
        }
    }

    @Test
    void aSerializationFailureIsRetriedOnAFreshTransactionAndCommits() {
        AtomicInteger runs = new AtomicInteger();
        int seen = workloads.inTransaction("financial", c -> {
            int run = runs.incrementAndGet();
            int before = n(c, 1); // takes the serializable snapshot
            if (run == 1) {
                concurrentUpdate(1, 100);
            }
            add(c, 1, 1); // 40001 on the first run: the row changed after the snapshot
            return before;
        });
        assertEquals(2, runs.get());
        assertEquals(100, seen, "the second run saw the concurrent update");
        assertEquals(101, assertDoesNotThrowSql(() -> n(1)));
        assertEquals(1, retries("financial", TransactionConflicts.SERIALIZATION_FAILURE));
        assertEquals(1, transactions("financial", TransactionCounts.COMMITTED));
        assertEquals(0, transactions("financial", TransactionCounts.ROLLED_BACK));
    }

    @Test
    void aDeadlockVictimIsRetriedAndCommitsAfterTheOtherTransaction() throws Exception {
        CountDownLatch workLocked = new CountDownLatch(1);
        CountDownLatch otherLocked = new CountDownLatch(1);
        // The other session locks row 2, then row 1; it waits long before looking for deadlocks, so ours is the victim.
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
            try (Connection c = server.connect(); Statement st = c.createStatement()) {
                st.execute("SET deadlock_timeout = '30s'");
                c.setAutoCommit(false);
                add(c, 2, 10);
                otherLocked.countDown();
                assertTrue(workLocked.await(10, TimeUnit.SECONDS));
                add(c, 1, 10);
                c.commit();
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicInteger runs = new AtomicInteger();
        List<String> states = new ArrayList<>();
        workloads.runInTransaction("main", c -> {
            runs.incrementAndGet();
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL deadlock_timeout = '50ms'");
            }
            try {
                add(c, 1, 1);
                workLocked.countDown();
                assertTrue(otherLocked.await(10, TimeUnit.SECONDS));
                add(c, 2, 1);
            } catch (SQLException e) {
                states.add(e.getSQLState());
                throw e;
            }
        });
        other.get(20, TimeUnit.SECONDS);
        assertEquals(List.of("40P01"), states, "the first run was the deadlock's victim");
        assertEquals(2, runs.get());
        assertEquals(11, n(1));
        assertEquals(11, n(2));
        assertEquals(1, retries("main", TransactionConflicts.DEADLOCK));
        assertEquals(1, transactions("main", TransactionCounts.COMMITTED));
    }

    @Test
    void anUncheckedExceptionRollsBackEverythingAndComesOutAsItIs() throws SQLException {
        IllegalStateException refused = new IllegalStateException("refused");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> workloads.runInTransaction("main", c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO " + ROWS + " VALUES (1), (2), (3)");
            }
            add(c, 1, 5);
            throw refused;
        }));
        assertSame(refused, thrown);
        assertEquals(0, count(ROWS));
        assertEquals(0, n(1));
        assertEquals(1, transactions("main", TransactionCounts.ROLLED_BACK));
        assertEquals(0, transactions("main", TransactionCounts.COMMITTED));
    }

    @Test
    void checkedExceptionsRollBackAndComeOutWrappedWithoutARetry() throws SQLException {
        TransactionException io = assertThrows(TransactionException.class, () -> workloads.runInTransaction("main", c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO " + ROWS + " VALUES (1)");
            }
            throw new IOException("disk full");
        }));
        assertInstanceOf(IOException.class, io.getCause());
        assertEquals(1, io.attempts());
        assertFalse(io.retriesExhausted());

        AtomicInteger runs = new AtomicInteger();
        TransactionException sql = assertThrows(TransactionException.class, () -> workloads.runInTransaction("main", c -> {
            runs.incrementAndGet();
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO " + ROWS + " VALUES (2)");
                st.executeUpdate("INSERT INTO " + ROWS + " VALUES (2)");
            }
        }));
        assertInstanceOf(SQLException.class, sql.getCause());
        assertEquals("23505", sql.sqlState().orElseThrow(), "a unique violation is not a conflict worth a retry");
        assertEquals(1, runs.get());
        assertTrue(sql.getMessage().contains("main") && sql.getMessage().contains("23505"), sql.getMessage());
        assertEquals(0, count(ROWS));
        assertEquals(2, transactions("main", TransactionCounts.ROLLED_BACK));
        assertEquals(0, retries("main", TransactionConflicts.SERIALIZATION_FAILURE));
    }

    @Test
    void retriesAreBoundedAndTheLastErrorComesOut() throws SQLException {
        workloads = workloads(new TransactionSettings(2, Duration.ofMillis(1), Duration.ofMillis(5)));
        List<SQLException> failures = new ArrayList<>();
        TransactionException thrown = assertThrows(TransactionException.class,
                () -> workloads.runInTransaction("financial", c -> {
                    n(c, 1);
                    concurrentUpdate(1, 100); // every run loses to another session
                    try {
                        add(c, 1, 1);
                    } catch (SQLException e) {
                        failures.add(e);
                        throw e;
                    }
                }));
        assertEquals(3, failures.size(), "the first run and max-retries=2 more");
        assertSame(failures.get(2), thrown.getCause());
        assertTrue(thrown.retriesExhausted());
        assertEquals(3, thrown.attempts());
        assertEquals("40001", thrown.sqlState().orElseThrow());
        assertEquals(300, n(1), "only the other session's updates committed");
        assertEquals(2, retries("financial", TransactionConflicts.SERIALIZATION_FAILURE));
        assertEquals(1, transactions("financial", TransactionCounts.RETRIES_EXHAUSTED));
        assertEquals(0, transactions("financial", TransactionCounts.COMMITTED));
    }

    @Test
    void everyConnectionGoesBackWithAutoCommitOn() throws SQLException {
        // main has two connections: a transaction keeping one would starve the next ones.
        for (int i = 0; i < 6; i++) {
            int id = i;
            assertThrows(RuntimeException.class, () -> workloads.runInTransaction("main", c -> {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO " + ROWS + " VALUES (" + id + ")");
                }
                throw new IllegalArgumentException("no");
            }));
            workloads.runInTransaction("main", c -> add(c, 2, 1));
        }
        assertEquals(6, n(2));
        PoolCounters counted = pools.get("main").recorder().counters();
        assertEquals(counted.acquired(), counted.returned(), "every connection borrowed came back");
        try (Connection c = workloads.dataSource("main").getConnection()) {
            assertTrue(c.getAutoCommit());
        }
        assertThrows(UnknownWorkloadException.class, () -> workloads.runInTransaction("nope", c -> {
        }));
    }

    private static long count(String table) throws SQLException {
        try (Connection c = server.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private interface SqlSupplier {
        int get() throws SQLException;
    }

    private static int assertDoesNotThrowSql(SqlSupplier s) {
        try {
            return s.get();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
