package io.poolwatch.alerting;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.mariadb.jdbc.MariaDbDataSource;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.testing.TestDatabases;

/** The alert state in a MariaDB workload's database (tables poolwatch_alert_*), in a database of this test's own. */
class AlertStateStoreMariadbTest extends AlertStateStoreContractTest {

    static final String DATABASE = "poolwatch_alert_state_test";
    private static boolean created;

    static String url() {
        return TestDatabases.mariadbUrl(DATABASE);
    }

    static DataSource dataSource() throws SQLException {
        return new MariaDbDataSource(url());
    }

    @Override
    AlertStateStore open() throws SQLException {
        if (!created) {
            TestDatabases.freshMariadbDatabase(DATABASE);
            created = true;
        }
        AlertStateStore s = AlertStateStore.on(dataSource(), DatabaseKind.MARIADB, "workload main");
        s.migrate();
        try (Connection c = DriverManager.getConnection(url()); Statement st = c.createStatement()) {
            st.execute("DELETE FROM poolwatch_alert_state");
            st.execute("DELETE FROM poolwatch_alert_groups");
        }
        return s;
    }

    @Override
    AlertStateStore openAgain() throws SQLException {
        return AlertStateStore.on(dataSource(), DatabaseKind.MARIADB, "workload main");
    }
}
