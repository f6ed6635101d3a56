package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.config.Secret;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/**
 * The monitoring connection logs in as {@code poolwatch.sampling.monitor-username} when it is set (a user of its own can
 * hold a slot the server reserves for it), and as the workload's user otherwise; against the real PostgreSQL.
 */
class MonitorLoginPostgresTest {

    private static final String ROLE = "poolwatch_monitor_" + Long.toHexString(System.nanoTime());
    private static final String PASSWORD = "monitor-" + Long.toHexString(System.nanoTime());

    private static TestDatabases.Server server;
    private static PoolSettings main;

    @BeforeAll
    static void role() throws SQLException {
        server = TestDatabases.postgres();
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "' IN ROLE pg_read_all_stats");
        }
        ResolvedConfiguration config = TestConfigs.resolve(TestConfigs.only(Map.of(), "main"),
                Map.of("DATABASE_URL", server.seedUrl()));
        main = config.pools().get(0);
    }

    @AfterAll
    static void dropRole() throws SQLException {
        if (server == null) {
            return;
        }
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS " + ROLE);
        }
    }

    @Test
    void theMonitoringConnectionLogsInAsItsOwnUserWhenOneIsSet() throws SQLException {
        PoolSettings monitor = PoolRegistry.monitorSettings(main, Duration.ofSeconds(2), Optional.of(ROLE),
                Optional.of(new Secret(PASSWORD)));
        assertEquals(Optional.of(ROLE), monitor.username());
        assertEquals("poolwatch-monitor", monitor.applicationName());
        assertEquals(1, monitor.minSize(), "kept open");
        WorkloadPool pool = PoolFactory.create(monitor, TestConfigs.resolve(TestConfigs.only(Map.of(), "main"),
                Map.of("DATABASE_URL", server.seedUrl())).monitoring());
        try (Connection c = pool.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_user, current_setting('application_name'), "
                        + "pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')")) {
            rs.next();
            assertEquals(ROLE, rs.getString(1));
            assertEquals("poolwatch-monitor", rs.getString(2));
            assertTrue(rs.getBoolean(3), "the role the README names can read every session");
        } finally {
            pool.close();
        }
    }

    @Test
    void withoutOneItLogsInAsTheWorkload() throws SQLException {
        PoolSettings monitor = PoolRegistry.monitorSettings(main, Duration.ofSeconds(2), Optional.empty(), Optional.empty());
        assertEquals(main.username(), monitor.username());
        assertEquals(main.password().map(Secret::reveal), monitor.password().map(Secret::reveal));
    }
}
