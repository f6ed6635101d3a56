package io.poolwatch.alerting;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.testing.TestDatabases;

/** The alert state in a PostgreSQL workload's database (schema poolwatch), in a database of this test's own. */
class AlertStateStorePostgresTest extends AlertStateStoreContractTest {

    static final String DATABASE = "poolwatch_alert_state_test";

    static DataSource dataSource() {
        return TestDatabases.postgres().dataSource(DATABASE);
    }

    @BeforeAll
    static void anEmptyDatabase() throws SQLException {
        TestDatabases.postgres().freshDatabase(DATABASE);
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
