package io.poolwatch.alerting;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.testing.TestDatabases;

/** The alert state in a PostgreSQL workload's database (schema poolwatch), in a database of this test's own. */
class AlertStateStorePostgresTest extends AlertStateStoreContractTest {

    static final String DATABASE = "poolwatch_alert_state_test";

    static DataSource dataSource() {
        TestDatabases.Server pg = TestDatabases.postgres();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + DATABASE);
        ds.setUser(pg.user());
        ds.setPassword(pg.password());
        return ds;
    }

    @BeforeAll
    static void anEmptyDatabase() throws SQLException {
        TestDatabases.Server pg = TestDatabases.postgres();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/postgres",
                pg.user(),
                pg.password()); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE);
            st.execute("CREATE DATABASE " + DATABASE);
        }
    }

    @Override
    AlertStateStore open() throws SQLException {
        AlertStateStore s = AlertStateStore.on(dataSource(), DatabaseKind.POSTGRESQL, "workload main");
        s.migrate();
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM poolwatch.alert_state");
            st.execute("DELETE FROM poolwatch.alert_groups");
        }
        return s;
    }

    @Override
    AlertStateStore openAgain() {
        return AlertStateStore.on(dataSource(), DatabaseKind.POSTGRESQL, "workload main");
    }
}
