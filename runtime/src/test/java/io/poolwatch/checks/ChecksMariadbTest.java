package io.poolwatch.checks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.PoolGroup;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/** The consistency checks on MariaDB, tables named {@code chk_*} in the test database. */
class ChecksMariadbTest extends ChecksContract {

    private String url;

    @Override
    PoolGroup openPools() throws SQLException {
        url = TestDatabases.mariadbUrl();
        var config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.pools.main.url", url,
                "poolwatch.pools.main.min-size", "1",
                "poolwatch.pools.main.max-size", "1"), "main"), Map.of());
        return PoolGroup.open(config.pools(), config.monitoring());
    }

    @Override
    DatabaseKind kind() {
        return DatabaseKind.MARIADB;
    }

    @Override
    Connection admin() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Override
    void resetTables(Statement st) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
                + " AND table_name LIKE 'chk\\_%'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        for (String t : tables) {
            st.execute("DROP TABLE " + t);
        }
    }

    @Override
    String table(String name) {
        return "chk_" + name;
    }

    @Override
    String timestampType() {
        // Not TIMESTAMP, which MariaDB converts through the session time zone.
        return "DATETIME";
    }

    @Override
    String sleepingCount() {
        return "SELECT SLEEP(5)";
    }

    @Override
    String deletingCount(String table) {
        return "DELETE FROM " + table;
    }

    @Override
    String serverTimeoutMessage() {
        return "max_statement_time exceeded";
    }

    @Override
    double cancelledWithinSeconds() {
        // Connector/J implements the driver's query timeout as max_statement_time too (at 2 s for a 500 ms timeout),
        // so only the time tells the check's own 500 ms apart from it.
        return 1.5;
    }

    @Override
    List<String> sessionTimeout() {
        return List.of("SELECT @@max_statement_time", "30.000000");
    }

    @Override
    String syntaxErrorMessage() {
        return "You have an error in your SQL syntax";
    }
}
