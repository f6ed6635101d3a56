package io.poolwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.DatabaseKind;
import io.poolwatch.testing.TestConfigs;

/** The embedded demo database: a real PostgreSQL with a consistent demo schema, removed on close; H2 as fallback. */
class EmbeddedDatabaseTest {

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertDemoSchema(Connection c, int rows) throws SQLException {
        try (Statement st = c.createStatement()) {
            assertEquals(1001, count(st, "SELECT COUNT(*) FROM accounts"));
            assertEquals(rows, count(st, "SELECT COUNT(*) FROM analytics_events"));
            assertEquals(500, count(st, "SELECT COUNT(*) FROM background_tasks"));
            // Double entry: debits equal credits, and every balance equals credits minus debits of its entries.
            try (ResultSet rs = st.executeQuery("SELECT SUM(CASE WHEN direction = 'D' THEN amount ELSE 0 END), "
                    + "SUM(CASE WHEN direction = 'C' THEN amount ELSE 0 END) FROM ledger_entries")) {
                rs.next();
                assertEquals(0, rs.getBigDecimal(1).compareTo(rs.getBigDecimal(2)));
                assertEquals(0, rs.getBigDecimal(1).compareTo(new BigDecimal("1000000.00")));
            }
            assertEquals(0, count(st, "SELECT COUNT(*) FROM accounts a WHERE a.balance <> (SELECT COALESCE(SUM(CASE WHEN e.direction = 'C' "
                    + "THEN e.amount ELSE -e.amount END), 0) FROM ledger_entries e WHERE e.account_id = a.id)"));
            // New rows get fresh ids after the seeded ones.
            st.executeUpdate("INSERT INTO accounts (owner) VALUES ('new customer')");
            assertEquals(1002, count(st, "SELECT MAX(id) FROM accounts"));
        }
    }

    @Test
    void postgresStartsWithTheDemoSchemaAndRemovesItsDataOnClose() throws Exception {
        var config = TestConfigs.mapping(io.poolwatch.simulator.EmbeddedConfig.class, Map.of("poolwatch.embedded.demo-rows", "5000"));
        Path dataDirectory;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(config)) {
            assertEquals(DatabaseKind.POSTGRESQL, db.kind());
            try (Connection c = DriverManager.getConnection(db.jdbcUrl())) {
                assertDemoSchema(c, 5000);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW data_directory")) {
                    rs.next();
                    dataDirectory = Path.of(rs.getString(1));
                }
            }
            assertTrue(Files.isDirectory(dataDirectory));
        }
        assertFalse(Files.exists(dataDirectory), "the embedded data directory must be removed: " + dataDirectory);
    }

    @Test
    void h2HoldsTheSameDemoSchema() throws Exception {
        var config = TestConfigs.mapping(io.poolwatch.simulator.EmbeddedConfig.class, Map.of("poolwatch.embedded.kind", "h2", "poolwatch.embedded.demo-rows", "3000"));
        try (EmbeddedDatabase db = EmbeddedDatabase.start(config); Connection c = DriverManager.getConnection(db.jdbcUrl())) {
            assertEquals(DatabaseKind.H2, db.kind());
            assertDemoSchema(c, 3000);
        }
    }
}
