package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestConfigs;

/** Workload pools on H2, the embedded fallback: sizes, isolation and sessions as H2 reports them. */
class PoolRegistryH2Test {

    @Test
    void poolsOnH2() throws SQLException, InterruptedException {
        var config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.defaults.url", "jdbc:h2:mem:pools_h2;DB_CLOSE_DELAY=-1",
                "poolwatch.pools.financial.min-size", "2",
                "poolwatch.pools.financial.max-size", "2",
                "poolwatch.pools.financial.acquisition-timeout", "2s",
                "poolwatch.pools.main.min-size", "3"), "main", "financial"), Map.of());
        try (PoolGroup pools = PoolGroup.open(config.pools(), config.monitoring())) {
            assertEquals(DatabaseKind.H2, pools.get("main").settings().url().kind());
            try (Connection c = pools.get("financial").dataSource().getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT ISOLATION_LEVEL FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()")) {
                rs.next();
                assertEquals("SERIALIZABLE", rs.getString(1));
                Connection second = pools.get("financial").dataSource().getConnection();
                try {
                    assertThrows(SQLException.class, () -> pools.get("financial").dataSource().getConnection());
                } finally {
                    second.close();
                }
            }
            // main's 3 and financial's 2: Agroal fills pools to min-size in the background, so wait for it (a busy machine is slow)
            Await.until("main's 3 and financial's 2 sessions", () -> {
                try (Connection c = pools.get("main").dataSource().getConnection();
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
                    rs.next();
                    return rs.getInt(1) == 5;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection c = pools.get("main").dataSource().getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
                rs.next();
                assertEquals(5, rs.getInt(1), "no more than the minimums");
            }
        }
    }
}
