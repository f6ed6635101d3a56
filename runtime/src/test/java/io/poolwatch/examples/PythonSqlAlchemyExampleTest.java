package io.poolwatch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.poolwatch.testing.PythonExample;
import io.poolwatch.testing.TestDatabases;

/**
 * The Python example ({@code examples/python-sqlalchemy}) against the real PostgreSQL, with psycopg2 and with asyncpg:
 * what the server sees of it while it runs (its sessions under its application name, never more than pool size plus
 * overflow, the held transaction idle, the lock it holds making others wait), and that it ends by itself with a
 * summary. Skipped where {@code /usr/bin/python3} or its modules are missing.
 */
class PythonSqlAlchemyExampleTest {

    private static final int POOL_SIZE = 2;
    private static final int MAX_OVERFLOW = 1;
    /** The held transaction's statement; only the holder runs it, so seeing it idle in transaction is seeing the hold. */
    private static final String HOLD_QUERY = "SELECT balance FROM mingus_accounts WHERE id = 0";
    /** Far above the run's own length: only a hung run reaches it. */
    private static final long RUN_BOUND_SECONDS = 90;

    @BeforeAll
    static void pythonIsThere() {
        PythonExample.unavailable().ifPresent(reason -> Assumptions.abort("the Python example cannot run here: " + reason));
    }

    /** What pg_stat_activity showed of one application over a run, polled until the run ended. */
    record Seen(int peakSessions, boolean heldIdleInTransaction, boolean waitedOnLock, int polls) {
    }

    private static String databaseUrl(String scheme) {
        String seed = TestDatabases.postgres().seedUrl();
        return scheme + seed.substring(seed.indexOf("://"));
    }

    private static Map<String, String> env(String scheme, String appName) {
        return Map.of("DATABASE_URL", databaseUrl(scheme), "APP_NAME", appName, "DB_POOL_SIZE", String.valueOf(POOL_SIZE),
                "DB_MAX_OVERFLOW", String.valueOf(MAX_OVERFLOW), "DB_POOL_TIMEOUT", "30", "DB_POOL_RECYCLE", "3600",
                "DB_POOL_PRE_PING", "true");
    }

    private static Seen watch(PythonExample run, String appName) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + RUN_BOUND_SECONDS * 1_000_000_000L;
        int peak = 0;
        int polls = 0;
        boolean held = false;
        boolean waited = false;
        try (Connection c = TestDatabases.postgres().connect();
                PreparedStatement ps = c.prepareStatement("SELECT state, query, wait_event_type FROM pg_stat_activity "
                        + "WHERE application_name = ? AND datname = current_database()")) {
            ps.setString(1, appName);
            while (run.isAlive() && System.nanoTime() < deadline) {
                int sessions = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sessions++;
                        held |= "idle in transaction".equals(rs.getString(1)) && HOLD_QUERY.equals(rs.getString(2).strip());
                        waited |= "Lock".equals(rs.getString(3));
                    }
                }
                peak = Math.max(peak, sessions);
                polls++;
                Thread.sleep(20);
            }
        }
        return new Seen(peak, held, waited, polls);
    }

    private static String uniqueName(String scheme) {
        return "pytest-" + (scheme.contains("asyncpg") ? "asyncpg" : "psycopg2") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    @ParameterizedTest
    @ValueSource(strings = { "postgresql", "postgresql+asyncpg" })
    void itsSessionsShowUnderItsNameWithinThePoolAndTheHeldTransactionIdles(String scheme) throws Exception {
        String appName = uniqueName(scheme);
        PythonExample.Result result;
        Seen seen;
        // More workers than connections, so the pool's limit is what bounds the sessions, not the workers.
        try (PythonExample run = PythonExample.start(env(scheme, appName),
                List.of("--seconds", "4", "--workers", "6", "--hold-seconds", "2"))) {
            seen = watch(run, appName);
            result = run.await(RUN_BOUND_SECONDS);
        }
        assertEquals(0, result.exitCode(), "exit code; stderr: " + result.stderr());
        assertNotNull(result.summary(), "the summary line");
        assertTrue(seen.polls() > 1, "pg_stat_activity was polled while it ran: " + seen);
        assertTrue(seen.peakSessions() >= 1, "its sessions show under application_name " + appName + ": " + seen);
        assertTrue(seen.peakSessions() <= POOL_SIZE + MAX_OVERFLOW, "never more sessions than pool size + overflow: " + seen);
        assertTrue(seen.heldIdleInTransaction(), "the held transaction shows idle in transaction: " + seen);
        assertTrue(result.summary().path("ok").asBoolean(), result.summary().toString());
        assertTrue(result.summary().path("transactions").asInt() > 0, result.summary().toString());
        assertEquals(0, result.summary().path("errors").asInt(), result.summary().toString());
        assertEquals(scheme.contains("asyncpg") ? "asyncpg" : "psycopg2", result.summary().path("driver").asText());
        int peak = result.summary().path("checked_out_peak").asInt();
        assertTrue(peak >= 1 && peak <= POOL_SIZE + MAX_OVERFLOW, "the pool's own checked-out peak: " + result.summary());
        assertEquals(0, TestDatabases.awaitSessions(TestDatabases.postgres(), appName, 0), "its sessions closed when it ended");
    }

    @ParameterizedTest
    @ValueSource(strings = { "postgresql", "postgresql+asyncpg" })
    void withoutHoldNoTransactionIsHeldAndNoneWaitsOnALock(String scheme) throws Exception {
        String appName = uniqueName(scheme);
        PythonExample.Result result;
        Seen seen;
        try (PythonExample run = PythonExample.start(env(scheme, appName), List.of("--seconds", "2", "--workers", "3"))) {
            seen = watch(run, appName);
            result = run.await(RUN_BOUND_SECONDS);
        }
        assertEquals(0, result.exitCode(), "exit code; stderr: " + result.stderr());
        assertTrue(seen.peakSessions() >= 1, "its sessions show: " + seen);
        assertFalse(seen.heldIdleInTransaction(), "nothing held: " + seen);
        assertEquals(0.0, result.summary().path("held_seconds").asDouble());
    }

    @ParameterizedTest
    @ValueSource(strings = { "postgresql", "postgresql+asyncpg" })
    void aHeldLockMakesItsOtherWorkersWait(String scheme) throws Exception {
        String appName = uniqueName(scheme);
        Seen seen;
        PythonExample.Result result;
        try (PythonExample run = PythonExample.start(env(scheme, appName),
                List.of("--seconds", "4", "--workers", "3", "--hold-seconds", "3", "--hold-lock"))) {
            seen = watch(run, appName);
            result = run.await(RUN_BOUND_SECONDS);
        }
        assertEquals(0, result.exitCode(), "exit code; stderr: " + result.stderr());
        assertTrue(seen.waitedOnLock(), "a worker waited on the held row lock: " + seen);
        assertTrue(seen.peakSessions() <= POOL_SIZE + MAX_OVERFLOW, seen.toString());
    }

    @Test
    void badSettingsAreEachNamedAndExitTwo() throws Exception {
        PythonExample.Result result;
        List<String> args = new ArrayList<>(List.of("--seconds", "1"));
        try (PythonExample run = PythonExample.start(Map.of("DB_POOL_SIZE", "twenty", "DB_POOL_PRE_PING", "maybe"), args)) {
            result = run.await(RUN_BOUND_SECONDS);
        }
        assertEquals(2, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("DB_POOL_SIZE='twenty'"), result.stderr());
        assertTrue(result.stderr().contains("DB_POOL_PRE_PING='maybe'"), result.stderr());
        assertTrue(result.stderr().contains("DATABASE_URL is not set"), result.stderr());
    }
}
