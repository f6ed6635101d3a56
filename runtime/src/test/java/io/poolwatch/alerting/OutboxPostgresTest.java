package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.testing.TestDatabases;

/**
 * The outbox in a PostgreSQL workload's database: Flyway creates the schema poolwatch, its table and history. The
 * database is one of this test's own, {@value #DATABASE}: a poolwatch started by another test on the shared test database
 * would otherwise take these notifications, as a replica sharing the outbox should.
 */
class OutboxPostgresTest extends OutboxContractTest {

    static final String DATABASE = "poolwatch_outbox_test";

    static String url() {
        return TestDatabases.postgres().jdbcUrl(DATABASE);
    }

    static Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    static DataSource dataSource() {
        return TestDatabases.postgres().dataSource(DATABASE);
    }

    @BeforeAll
    static void anEmptyDatabase() throws SQLException {
        TestDatabases.postgres().freshDatabase(DATABASE);
    }

    @Override
    Outbox open() throws SQLException {
        JdbcOutbox outbox = JdbcOutbox.on(dataSource(), DatabaseKind.POSTGRESQL, "workload main");
        outbox.migrate();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM poolwatch.outbox");
        }
        return outbox;
    }

    @Override
    Outbox openAgain() {
        return JdbcOutbox.on(dataSource(), DatabaseKind.POSTGRESQL, "workload main");
    }

    @Test
    void flywayCreatedTheSchemaItsTableAndItsOwnHistory() throws SQLException {
        assertEquals("workload main, table poolwatch.outbox", outbox.location());
        try (Connection c = connect(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'poolwatch' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertEquals(
                    List.of("alert_groups", "alert_state", "audit", "check_cursors", "outbox", "poolwatch_schema_history",
                            "shedlock", "silences"),
                    tables);
            try (ResultSet rs = st.executeQuery(
                    "SELECT version, success FROM poolwatch.poolwatch_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
                List<String> versions = new ArrayList<>();
                while (rs.next()) {
                    assertTrue(rs.getBoolean(2));
                    versions.add(rs.getString(1));
                }
                assertEquals(List.of("1", "2", "3", "4", "5", "7", "8"), versions);
            }
            // Nothing in the application's schema.
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                    + "AND table_name IN ('outbox', 'poolwatch_schema_history', 'poolwatch_outbox')")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
        }
    }
}
