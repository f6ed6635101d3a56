package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestDatabases;

/**
 * Who blocks whom, read from a real PostgreSQL with real sessions: a row lock held in an open transaction and waited on,
 * a chain of three, its release, and a real deadlock counted. Each waiting statement has a lock timeout, so a failure
 * here cannot hang the suite.
 */
class BlockingReaderPostgresTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String TABLE = "blocking_test_" + SUFFIX;
    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool();

    @BeforeAll
    static void createTable() throws SQLException {
        try (Connection c = TestDatabases.postgres().connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + TABLE + " (id int PRIMARY KEY, v int NOT NULL)");
            st.execute("INSERT INTO " + TABLE + " VALUES (1, 0), (2, 0), (3, 0)");
        }
    }

    @AfterAll
    static void dropTable() throws SQLException {
        BACKGROUND.shutdownNow();
        try (Connection c = TestDatabases.postgres().connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    /** A session of its own, with a name this test alone uses and bounds on every wait. */
    private static Connection session(String role) throws SQLException {
        Connection c = TestDatabases.postgres().connect();
        try (Statement st = c.createStatement()) {
            st.execute("SET application_name = 'pw-blk-" + role + "-" + SUFFIX + "'");
            st.execute("SET lock_timeout = '20s'");
            st.execute("SET statement_timeout = '25s'");
        }
        c.setAutoCommit(false);
        return c;
    }

    private static long pid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void update(Connection c, int id, int value) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE " + TABLE + " SET v = " + value + " WHERE id = " + id);
        }
    }

    private static Future<?> updateInBackground(Connection c, int id, int value) {
        return BACKGROUND.submit(() -> {
            update(c, id, value);
            return null;
        });
    }

    private static BlockingSnapshot read() throws SQLException {
        try (Connection monitor = TestDatabases.postgres().connect()) {
            return BlockingReader.read(monitor, DatabaseKind.POSTGRESQL, "test", Instant.now(), 200);
        }
    }

    private static Optional<BlockedSession> find(List<BlockedSession> sessions, long pid) {
        for (BlockedSession s : sessions) {
            if (s.pid() == pid) {
                return Optional.of(s);
            }
            Optional<BlockedSession> below = find(s.blocked(), pid);
            if (below.isPresent()) {
                return below;
            }
        }
        return Optional.empty();
    }

    private static Optional<BlockedSession> root(BlockingSnapshot s, long pid) {
        return s.roots().stream().filter(r -> r.pid() == pid).findFirst();
    }

    /** Polls the reader until {@code condition} holds (bounded by {@link Await}), and returns that snapshot. */
    private static BlockingSnapshot readUntil(String what, Predicate<BlockingSnapshot> condition)
            throws Exception {
        BlockingSnapshot[] last = new BlockingSnapshot[1];
        Await.until(what, () -> {
            try {
                last[0] = read();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return condition.test(last[0]);
        });
        return last[0];
    }

    private static void close(Connection... connections) {
        for (Connection c : connections) {
            if (c == null) {
                continue;
            }
            try {
                c.rollback();
            } catch (SQLException e) {
                // closing anyway
            }
            try {
                c.close();
            } catch (SQLException e) {
                // nothing more to do
            }
        }
    }

    @Test
    void aRowLockHeldInAnOpenTransactionMakesATreeOfHolderAndWaiter() throws Exception {
        Connection holder = null;
        Connection waiter = null;
        try {
            holder = session("holder");
            waiter = session("waiter");
            long holderPid = pid(holder);
            long waiterPid = pid(waiter);
            update(holder, 1, 424242);
            Future<?> waiting = updateInBackground(waiter, 1, 777777);

            BlockingSnapshot s = readUntil("the waiter shows under the holder, having waited",
                    snap -> root(snap, holderPid).flatMap(r -> find(r.blocked(), waiterPid)).flatMap(BlockedSession::waiting)
                            .filter(d -> d.compareTo(Duration.ZERO) > 0).isPresent());
            assertTrue(s.available());
            assertTrue(s.blockedSessions() >= 1, s.toString());
            assertTrue(s.longestBlocked().isPresent(), s.toString());
            assertTrue(s.deadlocks().isPresent(), "PostgreSQL counts deadlocks");
            BlockedSession root = root(s, holderPid).orElseThrow();
            assertEquals("pw-blk-holder-" + SUFFIX, root.application());
            assertEquals("postgres", root.user());
            assertEquals("idle in transaction", root.state());
            assertTrue(root.waiting().isEmpty(), "the holder waits on no one");
            assertTrue(root.holding().isPresent(), "the holder holds the lock for its transaction's age");
            assertFalse(root.query().contains("424242"), root.query());
            assertTrue(root.query().startsWith("UPDATE " + TABLE + " SET v = ?"), root.query());

            BlockedSession below = root.blocked().get(0);
            assertEquals(waiterPid, below.pid());
            assertEquals("pw-blk-waiter-" + SUFFIX, below.application());
            assertEquals("active", below.state());
            assertEquals("UPDATE " + TABLE + " SET v = ? WHERE id = ?", below.query());
            assertFalse(below.query().contains("777777"), below.query());
            assertTrue(below.blocked().isEmpty());

            holder.rollback();
            waiting.get(20, TimeUnit.SECONDS);
            waiter.rollback();
            BlockingSnapshot after = readUntil("neither session shows once the lock is released",
                    snap -> find(snap.roots(), holderPid).isEmpty() && find(snap.roots(), waiterPid).isEmpty());
            assertTrue(after.available());
        } finally {
            close(waiter, holder);
        }
    }

    @Test
    void aChainOfThreeIsTwoLevelsDeep() throws Exception {
        Connection a = null;
        Connection b = null;
        Connection c = null;
        try {
            a = session("chain-a");
            b = session("chain-b");
            c = session("chain-c");
            long pidA = pid(a);
            long pidB = pid(b);
            long pidC = pid(c);
            update(a, 2, 1);
            update(b, 3, 1); // b holds row 3 ...
            Future<?> bWaits = updateInBackground(b, 2, 2); // ... and waits on a for row 2
            Await.until("b waits on a", () -> {
                try {
                    return root(read(), pidA).flatMap(r -> find(r.blocked(), pidB)).isPresent();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Future<?> cWaits = updateInBackground(c, 3, 3); // c waits on b for row 3

            BlockingSnapshot s = readUntil("a blocks b blocks c", snap -> root(snap, pidA)
                    .filter(r -> r.blocked().size() == 1
                            && r.blocked().get(0).blocked().stream().anyMatch(x -> x.pid() == pidC))
                    .isPresent());
            BlockedSession root = root(s, pidA).orElseThrow();
            assertEquals(2, root.depth());
            assertEquals(3, root.size());
            BlockedSession middle = root.blocked().get(0);
            assertEquals(pidB, middle.pid());
            assertTrue(middle.waiting().isPresent(), "b waits");
            assertTrue(middle.holding().isPresent(), "b also holds what c waits on");
            assertTrue(find(s.roots(), pidB).isPresent() && root(s, pidB).isEmpty(), "b is listed once, under a");

            a.rollback();
            bWaits.get(20, TimeUnit.SECONDS);
            b.rollback();
            cWaits.get(20, TimeUnit.SECONDS);
            c.rollback();
            readUntil("the chain is gone", snap -> find(snap.roots(), pidA).isEmpty() && find(snap.roots(), pidB).isEmpty()
                    && find(snap.roots(), pidC).isEmpty());
        } finally {
            close(c, b, a);
        }
    }

    @Test
    void aRealDeadlockIsCounted() throws Exception {
        long before = read().deadlocks().orElseThrow();
        Connection d = null;
        Connection e = null;
        List<Throwable> failures = new ArrayList<>();
        try {
            d = session("deadlock-d");
            e = session("deadlock-e");
            update(d, 1, 10);
            update(e, 2, 20);
            long pidD = pid(d);
            Future<?> dWaits = updateInBackground(d, 2, 11);
            Connection eFinal = e;
            Await.until("d waits on e", () -> {
                try {
                    return root(read(), pid(eFinal)).flatMap(r -> find(r.blocked(), pidD)).isPresent();
                } catch (SQLException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            Future<?> eWaits = updateInBackground(e, 1, 21); // the cycle: the server breaks it after deadlock_timeout
            for (Future<?> f : List.of(dWaits, eWaits)) {
                try {
                    f.get(25, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    failures.add(ex.getCause());
                }
            }
        } finally {
            // Ending the sessions makes their backends report the deadlock to the statistics.
            close(e, d);
        }
        assertEquals(1, failures.size(), "one of the two is chosen as the deadlock victim: " + failures);
        SQLException victim = assertInstanceOf(SQLException.class, failures.get(0));
        assertEquals("40P01", victim.getSQLState(), victim.getMessage());
        readUntil("pg_stat_database counts the deadlock", snap -> snap.deadlocks().orElse(0) > before);
    }
}
