package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import io.poolwatch.testing.TestDatabases;

/** Statement timing against the real MariaDB server (see {@link TimedStatementContract}). */
class TimedStatementMariadbTest extends TimedStatementContract {

    @Override
    Map<String, String> server() {
        return Map.of("poolwatch.pools.main.url", TestDatabases.mariadbUrl());
    }

    @Override
    String sleepQuery(double seconds) {
        return "SELECT SLEEP(" + seconds + ")";
    }

    @Override
    String escapedLiteral(String text) {
        return "'" + text.replace("'", "\\'") + "'";
    }

    @Override
    String sleepInsert(double seconds) {
        return "INSERT INTO probe (v) VALUES (? + SLEEP(" + seconds + "))";
    }

    @Override
    String sleepUpdate(double seconds) {
        // MariaDB runs a batch through the prepared-statement protocol, which has no DO.
        return "INSERT INTO probe (v) SELECT SLEEP(" + seconds + ")";
    }

    @Override
    List<String> createProbe() {
        return List.of("CREATE TEMPORARY TABLE probe (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
                "CREATE OR REPLACE PROCEDURE pw_hotpath_noop(IN x INT) BEGIN DO x; END");
    }

    @Override
    String callWithInParameter() {
        return "{call pw_hotpath_noop(?)}";
    }

    @Override
    String callWithOutParameter() {
        return null;
    }

    @Override
    boolean supportsColumnIndexes() {
        return true;
    }

    @Override
    Class<?> driverStatementClass() {
        return org.mariadb.jdbc.Statement.class;
    }

    @Override
    void dropProbe(Statement st) throws SQLException {
        st.execute("DROP PROCEDURE IF EXISTS pw_hotpath_noop");
    }

    @Override
    Connection rawConnection() throws SQLException {
        return DriverManager.getConnection(TestDatabases.mariadbUrl());
    }
}
