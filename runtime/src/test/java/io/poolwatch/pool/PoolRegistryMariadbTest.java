package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.TlsMode;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/** Workload pools against the real MariaDB server on 127.0.0.1:3306, through the seed's mysql:// form. */
class PoolRegistryMariadbTest {

    private static PoolGroup pools;
    private static String url;

    @BeforeAll
    static void open() throws SQLException {
        url = TestDatabases.mariadbUrl();
        ResolvedConfiguration config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.pools.analytics.statement-timeout", "1s",
                "poolwatch.pools.financial.min-size", "2",
                "poolwatch.pools.financial.max-size", "2",
                "poolwatch.pools.financial.acquisition-timeout", "300ms"), "main", "analytics", "financial"),
                Map.of("DATABASE_URL", "mysql://root:@127.0.0.1:3306/" + TestDatabases.DATABASE));
        pools = PoolGroup.open(config.pools(), config.monitoring());
        try (Connection c = pools.get("main").dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS pool_probe (id INT PRIMARY KEY)");
        }
    }

    @AfterAll
    static void close() {
        if (pools != null) {
            pools.close();
        }
    }

    private static String scalar(String workload, String sql) throws SQLException {
        try (Connection c = pools.get(workload).dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theSeedMysqlUrlReachesMariadb() throws SQLException {
        assertEquals(DatabaseKind.MARIADB, pools.get("main").settings().url().kind());
        assertTrue(scalar("main", "SELECT VERSION()").toLowerCase().contains("mariadb"));
    }

    @Test
    void theServerReportsWhetherTheSessionsAreEncrypted() throws Exception {
        WorkloadPool main = pools.get("main");
        assertEquals(TlsMode.DISABLE, main.settings().tls().mode(), "Connector/J's default without a key");
        Await.until("main's TLS was measured", () -> main.tls().encrypted().isPresent());
        String cipher;
        try (Connection c = main.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            rs.next();
            cipher = rs.getString(2);
        }
        assertEquals(cipher != null && !cipher.isBlank(), main.tls().encrypted().orElseThrow(), main.tls().toString());
    }

    @Test
    void financialRunsSerializableAsTheServerSeesIt() throws SQLException {
        assertEquals("SERIALIZABLE", scalar("financial", "SELECT @@tx_isolation"));
        assertEquals("READ-COMMITTED", scalar("main", "SELECT @@tx_isolation"));
    }

    @Test
    void theServerStopsAnalyticsStatementsOverTheTimeout() throws SQLException {
        assertEquals("1.000000", scalar("analytics", "SELECT @@max_statement_time"));
        try (Connection c = pools.get("analytics").dataSource().getConnection(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> st.executeQuery(
                            "SELECT COUNT(*) FROM information_schema.columns a, information_schema.columns b, information_schema.columns c"));
            assertEquals(1969, e.getErrorCode(), e.getMessage());
        }
    }

    @Test
    void analyticsCannotWrite() throws SQLException {
        try (Connection c = pools.get("analytics").dataSource().getConnection(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute("INSERT INTO pool_probe VALUES (1)"));
            assertEquals(1792, e.getErrorCode(), e.getMessage());
        }
    }

    @Test
    void sizesHoldOnTheServer() throws Exception {
        Connection a = pools.get("financial").dataSource().getConnection();
        Connection b = pools.get("financial").dataSource().getConnection();
        try {
            assertThrows(SQLException.class, () -> pools.get("financial").dataSource().getConnection());
            try (Connection admin = DriverManager.getConnection(url);
                    Statement st = admin.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.processlist WHERE db = '"
                            + TestDatabases.DATABASE + "' AND id <> CONNECTION_ID()")) {
                rs.next();
                // The server sees exactly the connections the pools count as open, and financial stops at its max.
                assertEquals(2, pools.get("financial").recorder().open());
                assertEquals(pools.all().stream().mapToLong(p -> p.recorder().open()).sum(), rs.getInt(1));
            }
        } finally {
            a.close();
            b.close();
        }
    }
}
