package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestDatabases;

/** The server-side view read from real servers while sessions sit idle in a transaction and statements run. */
class ServerStatsReaderTest {

    @Test
    void postgresReportsSessionsByStateAndAges() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        Properties idleProps = new Properties();
        idleProps.setProperty("user", pg.user());
        idleProps.setProperty("password", pg.password());
        idleProps.setProperty("ApplicationName", "reader-test-idle-tx");
        Properties sleepProps = new Properties();
        sleepProps.putAll(idleProps);
        sleepProps.setProperty("ApplicationName", "reader-test-sleeper");
        try (Connection idle = DriverManager.getConnection(pg.jdbcUrl(), idleProps);
                Connection sleeper = DriverManager.getConnection(pg.jdbcUrl(), sleepProps);
                Connection reader = pg.connect()) {
            idle.setAutoCommit(false);
            try (Statement st = idle.createStatement()) {
                st.executeQuery("SELECT 1").close();
            }
            CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
                try (Statement st = sleeper.createStatement()) {
                    st.execute("SELECT pg_sleep(2)");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            ServerSnapshot s = ServerStatsReader.read(reader, DatabaseKind.POSTGRESQL, "test", Instant.now());
            assertTrue(s.available(), s.unavailableReason().toString());
            ServerSnapshot.SessionGroup idleGroup = s.sessions().stream()
                    .filter(g -> g.application().equals("reader-test-idle-tx")).findFirst().orElseThrow();
            assertEquals("idle in transaction", idleGroup.state());
            assertEquals(1, idleGroup.count());
            assertTrue(idleGroup.oldestStateAge().orElseThrow().toMillis() >= 500, idleGroup.toString());
            assertTrue(s.oldestIdleInTransaction().orElseThrow().toMillis() >= 500);
            assertTrue(s.longestRunningStatement().orElseThrow().toMillis() >= 500, s.toString());
            assertTrue(s.longestTransaction().isPresent());
            assertTrue(s.sessions().stream()
                    .anyMatch(g -> g.application().equals("reader-test-sleeper") && g.state().equals("active")));
            assertTrue(s.totalSessions() >= 3, s.toString());
            try (Statement st = reader.createStatement(); ResultSet rs = st.executeQuery("SHOW max_connections")) {
                rs.next();
                assertEquals(rs.getInt(1), s.maxConnections().getAsInt());
            }
            double use = s.connectionUse().orElseThrow();
            assertTrue(use > 0 && use <= 1, Double.toString(use));
            sleeping.get(5, TimeUnit.SECONDS);
            idle.rollback();
        }
    }

    @Test
    void mariadbReportsProcesslistAndOpenTransactions() throws Exception {
        String url = TestDatabases.mariadbUrl();
        try (Connection setup = DriverManager.getConnection(url); Statement st = setup.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS reader_probe (id INT PRIMARY KEY) ENGINE=InnoDB");
            st.execute("INSERT IGNORE INTO reader_probe VALUES (1)");
        }
        try (Connection idle = DriverManager.getConnection(url);
                Connection sleeper = DriverManager.getConnection(url);
                Connection reader = DriverManager.getConnection(url)) {
            idle.setAutoCommit(false);
            try (Statement st = idle.createStatement()) {
                st.executeQuery("SELECT * FROM reader_probe WHERE id = 1 FOR UPDATE").close();
            }
            CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
                try (Statement st = sleeper.createStatement()) {
                    st.executeQuery("SELECT SLEEP(2)").close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000);
            ServerSnapshot s = ServerStatsReader.read(reader, DatabaseKind.MARIADB, "test", Instant.now());
            assertTrue(s.available(), s.unavailableReason().toString());
            assertTrue(s.sessionsByState().getOrDefault("query", 0) >= 1, s.toString());
            assertTrue(s.sessionsByState().getOrDefault("sleep", 0) >= 1, s.toString());
            assertTrue(s.longestRunningStatement().orElseThrow().toMillis() >= 500, s.toString());
            assertTrue(s.oldestIdleInTransaction().orElseThrow().toMillis() >= 500, s.toString());
            assertTrue(s.maxConnections().getAsInt() > 0);
            assertTrue(s.totalSessions() >= 3);
            sleeping.get(5, TimeUnit.SECONDS);
            idle.rollback();
        }
    }

    @Test
    void h2GivesWhatItCan() throws Exception {
        String url = "jdbc:h2:mem:reader_test;DB_CLOSE_DELAY=-1";
        try (Connection other = DriverManager.getConnection(url); Connection reader = DriverManager.getConnection(url)) {
            other.isValid(1);
            ServerSnapshot s = ServerStatsReader.read(reader, DatabaseKind.H2, "h2", Instant.now());
            assertTrue(s.available(), s.unavailableReason().toString());
            assertEquals(2, s.totalSessions());
            assertEquals(1, s.sessionsByState().get("idle"));
            assertTrue(s.maxConnections().isEmpty());
            assertTrue(s.connectionUse().isEmpty());
        }
    }

    /**
     * The embedded demo's H2 while the demo runs: one user's sessions both idle and running a statement. Grouping by
     * the select list's ordinals made H2 refuse the query ("EXECUTING_STATEMENT must be in the GROUP BY list") on
     * every sample that saw both at once.
     */
    @Test
    void h2ReadsOneUsersIdleAndActiveSessionsTogether() throws Exception {
        String url = "jdbc:h2:mem:reader_mixed_test;DB_CLOSE_DELAY=-1";
        try (Connection idle = DriverManager.getConnection(url);
                Connection busy = DriverManager.getConnection(url);
                Connection busier = DriverManager.getConnection(url);
                Connection reader = DriverManager.getConnection(url)) {
            try (Statement st = idle.createStatement()) {
                st.execute("CREATE ALIAS IF NOT EXISTS PW_SLEEP FOR 'java.lang.Thread.sleep'");
            }
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> call(busy, "CALL PW_SLEEP(3000)"));
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> call(busier, "CALL PW_SLEEP(3000)"));
            Await.until("two sessions run a statement", () -> executing(reader) == 2);
            ServerSnapshot s = ServerStatsReader.read(reader, DatabaseKind.H2, "h2", Instant.now());
            assertTrue(s.available(), s.unavailableReason().toString());
            assertEquals(4, s.totalSessions());
            assertEquals(1, s.sessionsByState().get("idle"));
            assertEquals(2, s.sessionsByState().get("active"));
            assertTrue(s.longestRunningStatement().isPresent(), "the running statements' age");
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        }
    }

    private static void call(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int executing(Connection c) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE EXECUTING_STATEMENT IS NOT NULL AND SESSION_ID <> SESSION_ID()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anUnreadableServerIsUnavailableNotAnError() throws Exception {
        Connection closed = TestDatabases.postgres().connect();
        closed.close();
        ServerSnapshot s = ServerStatsReader.read(closed, DatabaseKind.POSTGRESQL, "gone", Instant.now());
        assertFalse(s.available());
        assertTrue(s.unavailableReason().orElseThrow().length() > 0);
        assertEquals(Duration.ZERO.toMillis(), s.oldestIdleInTransaction().map(Duration::toMillis).orElse(0L));
    }
}
