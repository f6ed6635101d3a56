package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.PgBouncerServer;
import io.poolwatch.testing.TestDatabases;

/**
 * The test harness {@link PgBouncerServer} itself: the child process is PgBouncer (not a wrapper), it serves pgjdbc clients,
 * and stopping it stops PgBouncer.
 */
class PgBouncerServerHarnessTest {

    @Test
    void theChildIsPgBouncerItselfAndStoppingItLeavesNothingRunning() throws Exception {
        long pid;
        try (PgBouncerServer b = PgBouncerServer.builder().extraDatabases(1).start()) {
            pid = b.pid();
            ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
            Optional<String> command = handle.info().command();
            assertTrue(command.orElse("").endsWith("pgbouncer"), "the child runs " + command);
            assertEquals(0, handle.descendants().count(), "PgBouncer runs in the foreground, without children");
            for (String db : b.databases()) {
                try (Connection c = b.connect(db);
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT current_database()")) {
                    rs.next();
                    assertEquals(TestDatabases.DATABASE, rs.getString(1), "through PgBouncer's database " + db);
                }
            }
            b.stop();
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stopped");
            b.restart();
            assertTrue(b.running());
            try (Connection c = b.connect(); Statement st = c.createStatement()) {
                st.execute("SELECT 1");
            }
            pid = b.pid();
        }
        long after = pid;
        assertFalse(ProcessHandle.of(after).map(ProcessHandle::isAlive).orElse(false), "closed");
    }
}
