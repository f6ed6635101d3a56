package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.testing.FreezableProxy;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/**
 * {@code validation-query-timeout} bounds the check before a connection is handed out: a connection to a PostgreSQL that
 * has stopped answering (a frozen proxy in front of the real server) is found broken within it, and the borrower gets an
 * error instead of a thread held for as long as the server stays silent. The socket timeout is off here, so nothing else
 * could end the check.
 */
class ValidationQueryTimeoutTest {

    @Test
    // In a thread of its own, so a check that never ends fails the test rather than holding the build.
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aConnectionToAServerThatStoppedAnsweringFailsItsCheckWithinTheTimeout() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        try (FreezableProxy proxy = new FreezableProxy(pg.host(), pg.port())) {
            String url = pg.seedUrl().replace("@" + pg.host() + ":" + pg.port() + "/", "@127.0.0.1:" + proxy.port() + "/");
            ResolvedConfiguration config = TestConfigs.resolve(TestConfigs.only(Map.of(
                    "poolwatch.pools.main.validation-query-timeout", "1s",
                    "poolwatch.pools.main.socket-timeout", "0",
                    "poolwatch.pools.main.statement-timeout", "0",
                    "poolwatch.pools.main.min-size", "1",
                    "poolwatch.pools.main.max-size", "1",
                    "poolwatch.pools.main.connect-timeout", "2s",
                    "poolwatch.pools.main.acquisition-timeout", "3s"), "main"), Map.of("DATABASE_URL", url));
            PoolSettings settings = config.pools().get(0);
            assertEquals(Duration.ofSeconds(1), settings.upkeep().validationQueryTimeout());
            assertEquals("poolwatch.pools.\"main\".validation-query-timeout",
                    settings.sources().get("validation-query-timeout"));
            try (WorkloadPool pool = PoolFactory.create(settings, config.monitoring())) {
                try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
                    st.execute("SELECT 1");
                }
                proxy.freeze();
                // Without a bound on the check this would wait for the server for ever (the test's timeout would end it).
                assertThrows(SQLException.class, () -> pool.dataSource().getConnection());
                assertEquals(1, pool.recorder().counters().invalid());
                proxy.thaw();
            }
        }
    }
}
