package io.poolwatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.PoolGroup;
import io.poolwatch.testing.TestConfigs;

/** The embedded demo database: a real PostgreSQL with a consistent demo schema, removed on close; H2 as fallback. */
class EmbeddedDatabaseTest {

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertDemoSchema(Connection c, int rows) throws SQLException {
        try (Statement st = c.createStatement()) {
            assertEquals(1001, count(st, "SELECT COUNT(*) FROM accounts"));
            assertEquals(rows, count(st, "SELECT COUNT(*) FROM analytics_events"));
            assertEquals(500, count(st, "SELECT COUNT(*) FROM background_tasks"));
            // Double entry: debits equal credits, and every balance equals credits minus debits of its entries.
            try (ResultSet rs = st.executeQuery("SELECT SUM(CASE WHEN direction = 'D' THEN amount ELSE 0 END), "
                    + "SUM(CASE WHEN direction = 'C' THEN amount ELSE 0 END) FROM ledger_entries")) {
                rs.next();
                assertEquals(0, rs.getBigDecimal(1).compareTo(rs.getBigDecimal(2)));
                assertEquals(0, rs.getBigDecimal(1).compareTo(new BigDecimal("1000000.00")));
            }
            assertEquals(0, count(st,
                    "SELECT COUNT(*) FROM accounts a WHERE a.balance <> (SELECT COALESCE(SUM(CASE WHEN e.direction = 'C' "
                            + "THEN e.amount ELSE -e.amount END), 0) FROM ledger_entries e WHERE e.account_id = a.id)"));
            // New rows get fresh ids after the seeded ones.
            st.executeUpdate("INSERT INTO accounts (owner) VALUES ('new customer')");
            assertEquals(1002, count(st, "SELECT MAX(id) FROM accounts"));
        }
    }

    @Test
    void postgresStartsWithTheDemoSchemaAndRemovesItsDataOnClose() throws Exception {
        var config = TestConfigs.mapping(EmbeddedConfig.class,
                Map.of("poolwatch.embedded.demo-rows", "5000"));
        Path dataDirectory;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(config)) {
            assertEquals(DatabaseKind.POSTGRESQL, db.kind());
            try (Connection c = db.connect()) {
                assertDemoSchema(c, 5000);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW data_directory")) {
                    rs.next();
                    dataDirectory = Path.of(rs.getString(1));
                }
            }
            assertTrue(Files.isDirectory(dataDirectory));
        }
        assertFalse(Files.exists(dataDirectory), "the embedded data directory must be removed: " + dataDirectory);
    }

    /**
     * Nobody logs in without a password, the superuser least of all, over TCP or the Unix socket; the pools' role is
     * not a superuser and cannot run a program on the server, through the very pools poolwatch opens on it.
     */
    @Test
    void postgresTrustsNoOneAndThePoolsAreNotSuperusers() throws Exception {
        var config = TestConfigs.mapping(EmbeddedConfig.class,
                Map.of("poolwatch.embedded.demo-rows", "1000"));
        try (EmbeddedDatabase db = EmbeddedDatabase.start(config)) {
            for (String user : List.of("postgres", EmbeddedDatabase.DEMO_ROLE)) {
                for (String database : List.of("postgres", "poolwatch", "template1")) {
                    String url = "jdbc:postgresql://127.0.0.1:" + db.port() + "/" + database + "?user=" + user;
                    // Without a password the server asks for one (SCRAM) and the driver, having none, gives up.
                    SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(url).close(),
                            url);
                    assertTrue(refused.getMessage().contains("SCRAM") && refused.getMessage().contains("no password"),
                            refused.getMessage());
                    for (String guess : List.of("", "postgres", "poolwatch", user)) {
                        Properties wrong = new Properties();
                        wrong.setProperty("password", guess);
                        SQLException failed = assertThrows(SQLException.class,
                                () -> DriverManager.getConnection(url, wrong).close(), url);
                        assertTrue(List.of("28P01", "08004").contains(failed.getSQLState()),
                                url + " '" + guess + "': " + failed.getMessage());
                    }
                }
            }
            String socket = socketDirectory(db);
            String psql = psql();
            if (socket != null && psql != null) {
                ProcessBuilder client = new ProcessBuilder(psql, "-h", socket, "-p", String.valueOf(db.port()), "-U",
                        "postgres", "-w", "-d",
                        "postgres", "-c", "SELECT 1").redirectErrorStream(true);
                client.environment().remove("PGPASSWORD");
                Process p = client.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertTrue(p.exitValue() != 0 && out.contains("password"), "the Unix socket wants a password too: " + out);
            }

            String poolUrl = db.poolUrl();
            assertFalse(db.jdbcUrl().contains(poolUrl.substring(poolUrl.indexOf(':', 14) + 1, poolUrl.indexOf('@'))),
                    "the JDBC URL holds no password");
            var resolved = TestConfigs.resolve(TestConfigs.only(Map.of("poolwatch.defaults.url", poolUrl), "main"), Map.of());
            try (PoolGroup pools = PoolGroup.open(resolved.pools(),
                    resolved.monitoring());
                    Connection c = pools.get("main").dataSource().getConnection();
                    Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT current_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles "
                        + "WHERE rolname = current_user")) {
                    assertTrue(rs.next());
                    assertEquals(EmbeddedDatabase.DEMO_ROLE, rs.getString(1));
                    assertFalse(rs.getBoolean(2), "not a superuser");
                    assertFalse(rs.getBoolean(3), "cannot create roles");
                    assertFalse(rs.getBoolean(4), "cannot create databases");
                }
                SQLException program = assertThrows(SQLException.class, () -> st.execute("COPY (SELECT 1) TO PROGRAM 'true'"));
                assertEquals("42501", program.getSQLState(), program.getMessage());
                assertTrue(program.getMessage().contains("permission denied"), program.getMessage());
                SQLException file = assertThrows(SQLException.class,
                        () -> st.executeQuery("SELECT pg_read_file('postgresql.conf')"));
                assertEquals("42501", file.getSQLState(), file.getMessage());
                assertEquals(1001, count(st, "SELECT COUNT(*) FROM accounts"), "and it owns the demo schema");
            }
        }
    }

    /** The server's Unix socket directory, or null when it has none (Windows). */
    private static String socketDirectory(EmbeddedDatabase db) throws SQLException {
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT setting FROM pg_settings WHERE name = 'unix_socket_directories'")) {
            if (!rs.next() || rs.getString(1) == null || rs.getString(1).isBlank()) {
                return null;
            }
            return rs.getString(1).split(",")[0].trim();
        }
    }

    /** A psql client: on the PATH, or PostgreSQL's usual place; null when there is none. */
    private static String psql() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/lib/postgresql/16/bin:/usr/lib/postgresql/15/bin")
                .split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "psql");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    @Test
    void h2HoldsTheSameDemoSchema() throws Exception {
        var config = TestConfigs.mapping(EmbeddedConfig.class,
                Map.of("poolwatch.embedded.kind", "h2", "poolwatch.embedded.demo-rows", "3000"));
        try (EmbeddedDatabase db = EmbeddedDatabase.start(config); Connection c = db.connect()) {
            assertEquals(DatabaseKind.H2, db.kind());
            assertDemoSchema(c, 3000);
        }
    }
}
