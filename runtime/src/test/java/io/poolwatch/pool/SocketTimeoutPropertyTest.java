package io.poolwatch.pool;

import static io.poolwatch.testing.TestConfigs.resolve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.ResolvedConfiguration;

/**
 * A pool's socket timeout reaches the driver as its own {@code socketTimeout}: whole seconds for pgjdbc, milliseconds for
 * MariaDB.
 */
class SocketTimeoutPropertyTest {

    private static Map<String, String> driver(ResolvedConfiguration c, String pool) {
        PoolSettings s = c.pool(pool).orElseThrow();
        return PoolFactory.driverProperties(s);
    }

    @Test
    void pgjdbcTakesWholeSecondsRoundedUp() {
        ResolvedConfiguration c = resolve(Map.of("poolwatch.pools.financial.socket-timeout", "10500ms"),
                Map.of("DATABASE_URL", "postgresql://app@db.example/ledger"));
        assertEquals("45", driver(c, "main").get("socketTimeout"));
        assertEquals("11", driver(c, "financial").get("socketTimeout"),
                "rounded up, so it stays above the 10s statement timeout");
        assertFalse(driver(c, "jobs").containsKey("socketTimeout"));
    }

    @Test
    void mariadbTakesMilliseconds() {
        ResolvedConfiguration c = resolve(Map.of("poolwatch.pools.main.socket-timeout", "30.5s"),
                Map.of("DATABASE_URL", "mysql://app@db.example/ledger"));
        assertEquals("30500", driver(c, "main").get("socketTimeout"));
        assertEquals("25000", driver(c, "financial").get("socketTimeout"));
        assertFalse(driver(c, "analytics").containsKey("socketTimeout"));
    }

    @Test
    void aSocketTimeoutGivenAsADriverPropertyIsPassedAsItIs() {
        ResolvedConfiguration c = resolve(Map.of("poolwatch.pools.main.jdbc-properties.socketTimeout", "50"),
                Map.of("DATABASE_URL", "postgresql://app@db.example/ledger"));
        assertEquals("50", driver(c, "main").get("socketTimeout"));
    }
}
