package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.postgresql.PGStatement;

import io.poolwatch.testing.TestDatabases;

/** Statement timing against the real PostgreSQL server (see {@link TimedStatementContract}). */
class TimedStatementPostgresTest extends TimedStatementContract {

    @Override
    Map<String, String> server() {
        TestDatabases.Server s = TestDatabases.postgres();
        return Map.of("poolwatch.pools.main.url", s.jdbcUrl(), "poolwatch.pools.main.username", s.user(),
                "poolwatch.pools.main.password",
                s.password());
    }

    @Override
    String sleepQuery(double seconds) {
        return "SELECT pg_sleep(" + seconds + ")";
    }

    @Override
    String escapedLiteral(String text) {
        // An escape string: a backslash escapes the quote only there.
        return "E'" + text.replace("'", "\\'") + "'";
    }

    @Override
    String sleepInsert(double seconds) {
        return "INSERT INTO probe (v) SELECT ? FROM pg_sleep(" + seconds + ")";
    }

    @Override
    String sleepUpdate(double seconds) {
        return "DO $$BEGIN PERFORM pg_sleep(" + seconds + "); END$$";
    }

    @Override
    List<String> createProbe() {
        // A procedure for the callable statements (a function call would return a result, which executeUpdate refuses).
        return List.of("CREATE TEMP TABLE probe (id serial PRIMARY KEY, v int)",
                "CREATE OR REPLACE PROCEDURE pw_hotpath_noop(x int) LANGUAGE plpgsql AS $$BEGIN PERFORM x; END$$");
    }

    @Override
    String callWithInParameter() {
        return "CALL pw_hotpath_noop(?)";
    }

    @Override
    String callWithOutParameter() {
        return "{? = call abs(?)}";
    }

    @Override
    boolean supportsColumnIndexes() {
        return false;
    }

    @Override
    Class<?> driverStatementClass() {
        return PGStatement.class;
    }

    @Override
    void dropProbe(Statement st) throws SQLException {
        st.execute("DROP PROCEDURE IF EXISTS pw_hotpath_noop(int)");
    }

    @Override
    Connection rawConnection() throws SQLException {
        return TestDatabases.postgres().connect();
    }
}
