package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.SmallPostgresCluster;

/**
 * A refusal for lack of slots is told from every other failure to connect: PostgreSQL's real refusals from a server of
 * our own with 5 slots (2 reserved for superusers), MariaDB's "Too many connections" as its driver reports it, and the
 * failures that are not one (nothing listening, a wrong database).
 */
class SlotRefusalTest {

    @Test
    void postgresqlRefusalsForLackOfSlotsAreSaturationNotOtherFailures() throws Exception {
        try (SmallPostgresCluster cluster = SmallPostgresCluster.create(5, 2)) {
            String url = "jdbc:postgresql://127.0.0.1:" + cluster.port() + "/" + SmallPostgresCluster.DATABASE;
            List<Connection> held = new ArrayList<>();
            try {
                SQLException refused = null;
                for (int i = 0; i < 6 && refused == null; i++) {
                    try {
                        held.add(DriverManager.getConnection(url, SmallPostgresCluster.ROLE, ""));
                    } catch (SQLException e) {
                        refused = e;
                    }
                }
                assertEquals(3, held.size(), "a non-superuser gets the 3 slots that are not reserved");
                SlotRefusal r = SlotRefusal.of(refused, "pool main", Instant.EPOCH).orElseThrow(AssertionError::new);
                assertEquals("53300", r.code());
                assertTrue(r.message().contains("remaining connection slots are reserved"), r.message());
                assertEquals("pool main", r.refused());
                // Wrapped, as a pool may hand it on.
                assertTrue(SlotRefusal.isSlotRefusal(new SQLException("acquisition failed", new RuntimeException(refused))));

                // Not a refusal for lack of slots: a database that does not exist.
                SQLException missing = null;
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + cluster.port() + "/nope",
                        "postgres", "")) {
                    // unexpected
                } catch (SQLException e) {
                    missing = e;
                }
                assertFalse(SlotRefusal.isSlotRefusal(missing), String.valueOf(missing));
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
        }
    }

    @Test
    void nothingListeningIsNotSaturation() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + closedPort + "/x", "app", "")) {
            throw new AssertionError("connected to a closed port");
        } catch (SQLException e) {
            assertFalse(SlotRefusal.isSlotRefusal(e), e.getMessage());
        }
    }

    @Test
    void mariadbTooManyConnectionsIsSaturation() {
        // As MariaDB Connector/J reports ER_CON_COUNT_ERROR: error 1040, SQLSTATE 08004.
        SQLException e = new SQLNonTransientConnectionException("(conn=0) Too many connections", "08004", 1040);
        Optional<SlotRefusal> r = SlotRefusal.of(e, SlotRefusal.MONITOR, Instant.EPOCH);
        assertTrue(r.isPresent());
        assertEquals("1040", r.get().code());
        assertEquals("1040 (conn=0) Too many connections", r.get().describe());
        // A per-user limit is another refusal (error 1203, max_user_connections), not a full server.
        assertFalse(SlotRefusal
                .isSlotRefusal(new SQLException("User app already has more than 'max_user_connections' active connections",
                        "42000", 1203)));
        // The message alone, when a wrapper dropped the code.
        assertTrue(SlotRefusal.isSlotRefusal(new RuntimeException(new Exception("Too many connections"))));
    }

    @Test
    void longMessagesAreCut() {
        SQLException e = new SQLException("sorry, too many clients already\n" + "x".repeat(1000), "53300");
        SlotRefusal r = SlotRefusal.of(e, "pool main", Instant.EPOCH).orElseThrow(AssertionError::new);
        assertEquals("sorry, too many clients already", r.message());
        SlotRefusal longOne = SlotRefusal.of(new SQLException("y".repeat(1000), "53300"), "pool main", Instant.EPOCH)
                .orElseThrow();
        assertEquals(SlotRefusal.MESSAGE_LENGTH + 3, longOne.message().length());
    }
}
