package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.testing.TestDatabases;

/**
 * The outbox in a MariaDB workload's database, which already holds the application's tables: Flyway starts its own
 * history at a baseline and creates {@code poolwatch_outbox} beside them. The database is this test's own.
 */
class OutboxMariadbTest extends OutboxContractTest {

    static final String DATABASE = "poolwatch_outbox_test";
    private static boolean created;

    static String url() {
        return TestDatabases.mariadbUrl(DATABASE);
    }

    static DataSource dataSource() throws SQLException {
        return new MariaDbDataSource(url());
    }

    @Override
    Outbox open() throws SQLException {
        String url = url();
        if (!created) {
            TestDatabases.freshMariadbDatabase(DATABASE);
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                // An application table, so the database is not empty when the outbox first arrives.
                st.execute("CREATE TABLE app_table (id INT PRIMARY KEY)");
            }
            created = true;
        }
        JdbcOutbox outbox = JdbcOutbox.on(dataSource(), DatabaseKind.MARIADB, "workload main");
        outbox.migrate();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("DELETE FROM poolwatch_outbox");
        }
        return outbox;
    }

    @Override
    Outbox openAgain() throws SQLException {
        return JdbcOutbox.on(dataSource(), DatabaseKind.MARIADB, "workload main");
    }

    @Test
    void theHistoryStartsAtABaselineBesideTheApplicationsTables() throws SQLException {
        try (Connection c = DriverManager.getConnection(url());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version, type FROM poolwatch_schema_history ORDER BY installed_rank")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2));
            }
            assertEquals(List.of("0 BASELINE", "1 SQL", "2 SQL", "3 SQL", "4 SQL", "5 SQL", "7 SQL", "8 SQL"), rows);
        }
    }
}
