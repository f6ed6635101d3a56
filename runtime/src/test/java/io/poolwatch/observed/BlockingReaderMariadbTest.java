package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestDatabases;

/** A lock wait between two real MariaDB sessions, read from information_schema.innodb_lock_waits. */
class BlockingReaderMariadbTest {

    private static final String TABLE = "blocking_test_" + UUID.randomUUID().toString().substring(0, 8);
    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool();
    private static String url;

    @BeforeAll
    static void createTable() throws SQLException {
        url = TestDatabases.mariadbUrl();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
            st.execute("INSERT INTO " + TABLE + " VALUES (1, 0), (2, 0)");
        }
    }

    @AfterAll
    static void dropTable() throws SQLException {
        BACKGROUND.shutdownNow();
        if (url != null) {
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + TABLE);
            }
        }
    }

    private static Connection session() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION innodb_lock_wait_timeout = 20");
        }
        c.setAutoCommit(false);
        return c;
    }

    private static long id(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * InnoDB refreshes the cache behind its information_schema lock views only when it has not been read for 0.1 s, so a
     * reader polling faster (this test's loop, or another test's on the same server) would see the same old rows for ever.
     */
    private static BlockingSnapshot read() {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        try (Connection monitor = DriverManager.getConnection(url)) {
            return BlockingReader.read(monitor, DatabaseKind.MARIADB, "test", Instant.now(), 200);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<BlockedSession> root(BlockingSnapshot s, long id) {
        return s.roots().stream().filter(r -> r.pid() == id).findFirst();
    }

    @Test
    void aLockWaitShowsTheWaiterUnderTheHolder() throws Exception {
        Connection holder = null;
        Connection waiter = null;
        try {
            holder = session();
            waiter = session();
            long holderId = id(holder);
            long waiterId = id(waiter);
            try (Statement st = holder.createStatement()) {
                st.executeUpdate("UPDATE " + TABLE + " SET v = 424242 WHERE id = 1");
            }
            Connection w = waiter;
            Future<?> waiting = BACKGROUND.submit(() -> {
                try (Statement st = w.createStatement()) {
                    st.executeUpdate("UPDATE " + TABLE + " SET v = 777777 WHERE id = 1");
                }
                return null;
            });
            BlockingSnapshot[] seen = new BlockingSnapshot[1];
            Await.until("the waiter shows under the holder", () -> {
                seen[0] = read();
                return root(seen[0], holderId).filter(r -> r.blocked().stream().anyMatch(b -> b.pid() == waiterId)).isPresent();
            });
            BlockingSnapshot s = seen[0];
            assertTrue(s.available(), s.toString());
            assertTrue(s.blockedSessions() >= 1);
            assertTrue(s.deadlocks().isPresent(), "Innodb_deadlocks is read");
            BlockedSession root = root(s, holderId).orElseThrow();
            assertTrue(root.application().startsWith("root@"), root.application());
            assertEquals("sleep", root.state());
            assertTrue(root.holding().isPresent());
            BlockedSession below = root.blocked().stream().filter(b -> b.pid() == waiterId).findFirst().orElseThrow();
            assertEquals("query", below.state());
            assertTrue(below.waiting().isPresent());
            assertEquals("UPDATE " + TABLE + " SET v = ? WHERE id = ?", below.query());
            assertFalse(below.query().contains("777777"));

            holder.rollback();
            waiting.get(20, TimeUnit.SECONDS);
            waiter.rollback();
            BlockingSnapshot[] after = new BlockingSnapshot[1];
            try {
                Await.until("the wait is gone", () -> root(after[0] = read(), holderId).isEmpty());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": " + after[0], e);
            }
        } finally {
            for (Connection c : new Connection[] { waiter, holder }) {
                if (c != null) {
                    try {
                        c.rollback();
                    } finally {
                        c.close();
                    }
                }
            }
        }
    }

    @Test
    void withoutThePrivilegeToReadLockWaitsTheSnapshotIsUnavailableWithTheServersReason() throws SQLException {
        String user = "pw_blk_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = DriverManager.getConnection(url); Statement st = admin.createStatement()) {
            st.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw-test-only'");
            try {
                st.execute("GRANT SELECT ON " + TestDatabases.DATABASE + ".* TO '" + user + "'@'%'");
                try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + TestDatabases.DATABASE, user,
                        "pw-test-only")) {
                    BlockingSnapshot s = BlockingReader.read(c, DatabaseKind.MARIADB, "test", Instant.now(), 10);
                    assertFalse(s.available(), "an empty tree would claim no one waits");
                    assertTrue(s.unavailableReason().orElseThrow().contains("PROCESS"), s.unavailableReason().orElseThrow());
                    assertTrue(s.roots().isEmpty());
                }
            } finally {
                st.execute("DROP USER '" + user + "'@'%'");
            }
        }
    }

    @Test
    void h2IsUnavailableWithAReason() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:blocking")) {
            BlockingSnapshot s = BlockingReader.read(c, DatabaseKind.H2, "h2", Instant.now(), 10);
            assertFalse(s.available());
            assertTrue(s.unavailableReason().orElseThrow().contains("H2"));
        }
    }
}
