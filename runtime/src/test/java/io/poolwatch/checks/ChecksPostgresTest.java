package io.poolwatch.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.PoolGroup;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/** The consistency checks on PostgreSQL, tables in schema {@code chk}; also NOT VALID constraints and sampled mode. */
class ChecksPostgresTest extends ChecksContract {

    private final TestDatabases.Server pg = TestDatabases.postgres();

    @Override
    PoolGroup openPools() throws SQLException {
        var config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.pools.main.url", pg.jdbcUrl(),
                "poolwatch.pools.main.username", pg.user(),
                "poolwatch.pools.main.password", pg.password(),
                "poolwatch.pools.main.min-size", "1",
                "poolwatch.pools.main.max-size", "1"), "main"), Map.of());
        return PoolGroup.open(config.pools(), config.monitoring());
    }

    @Override
    DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }

    @Override
    Connection admin() throws SQLException {
        return pg.connect();
    }

    @Override
    void resetTables(Statement st) throws SQLException {
        st.execute("DROP SCHEMA IF EXISTS chk CASCADE");
        st.execute("CREATE SCHEMA chk");
    }

    @Override
    String table(String name) {
        return "chk." + name;
    }

    @Override
    String timestampType() {
        return "TIMESTAMP";
    }

    @Override
    String sleepingCount() {
        return "SELECT COUNT(*) FROM (SELECT pg_sleep(5)) s";
    }

    @Override
    String deletingCount(String table) {
        return "WITH d AS (DELETE FROM " + table + " RETURNING 1) SELECT COUNT(*) FROM d";
    }

    @Override
    String serverTimeoutMessage() {
        return "canceling statement due to statement timeout";
    }

    @Override
    double cancelledWithinSeconds() {
        // The message names the server's statement timeout; the driver's cancel would say "user request".
        return 4;
    }

    @Override
    List<String> sessionTimeout() {
        return List.of("SHOW statement_timeout", "30s");
    }

    @Override
    String syntaxErrorMessage() {
        return "syntax error at or near \"SELEC\"";
    }

    /**
     * A check may run longer than its workload's socket timeout (main's is above main's statement timeout, not above a
     * check's): it runs to its end on a pool whose socket timeout is shorter, and the connection gets the pool's back.
     */
    @Test
    void aCheckRunsLongerThanItsWorkloadsSocketTimeout() throws SQLException {
        var config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.pools.main.url", pg.jdbcUrl(),
                "poolwatch.pools.main.username", pg.user(),
                "poolwatch.pools.main.password", pg.password(),
                "poolwatch.pools.main.statement-timeout", "1s",
                "poolwatch.pools.main.socket-timeout", "2s",
                "poolwatch.pools.main.min-size", "1",
                "poolwatch.pools.main.max-size", "1"), "main"), Map.of());
        PoolGroup shortSocket = PoolGroup.open(config.pools(), config.monitoring());
        try {
            CheckResult r = CheckRunner.run(check("kind", "sql", "sql", sleepingCount(), "timeout", "20s"),
                    shortSocket.get("main").dataSource(),
                    new ChunkCursor(), "manual");
            assertEquals(1L, r.violations(), r.toString());
            try (Connection c = shortSocket.get("main").dataSource().getConnection()) {
                assertEquals(2000, c.getNetworkTimeout());
            }
        } finally {
            shortSocket.close();
        }
    }

    @Test
    void notValidConstraintsAreFoundUntilValidated() throws SQLException {
        sql("CREATE TABLE chk.nv_items (id BIGINT PRIMARY KEY, qty INT NOT NULL)",
                "INSERT INTO chk.nv_items (id, qty) VALUES (1, 3), (2, -1)",
                "ALTER TABLE chk.nv_items ADD CONSTRAINT nv_items_qty_not_negative CHECK (qty >= 0) NOT VALID");
        CheckDefinition check = check("kind", "not-valid-constraints", "schema", "chk");

        CheckResult r = run(check);
        assertFails(1, r);
        Map<String, Object> sample = r.samples().get(0);
        assertEquals("nv_items_qty_not_negative", sample.get("constraint_name"), sample.toString());
        assertEquals("chk", sample.get("schema_name"));
        assertEquals("chk.nv_items", sample.get("table_name"));
        assertTrue(String.valueOf(sample.get("definition")).contains("NOT VALID"), sample.toString());

        // The row written before the constraint is what VALIDATE would trip over; fixed, the constraint validates.
        sql("UPDATE chk.nv_items SET qty = 0 WHERE id = 2",
                "ALTER TABLE chk.nv_items VALIDATE CONSTRAINT nv_items_qty_not_negative");
        assertPasses(run(check));
    }

    @Test
    void sampledModeAtOneHundredPercentFindsEveryViolation() throws SQLException {
        sql("CREATE TABLE chk.sample_parent (id BIGINT PRIMARY KEY)",
                "CREATE TABLE chk.sample_child (id BIGINT PRIMARY KEY, parent_id BIGINT, pad TEXT)",
                "INSERT INTO chk.sample_parent (id) VALUES (1)",
                // Enough rows for many pages, an orphan every 100th.
                "INSERT INTO chk.sample_child (id, parent_id, pad) SELECT g, CASE WHEN g % 100 = 0 THEN 1000 + g ELSE 1 END,"
                        + " repeat('x', 200) FROM generate_series(1, 5000) g");
        CheckResult r = run(check("kind", "orphans", "table", "chk.sample_child", "column", "parent_id", "parent-table",
                "chk.sample_parent", "mode", "sampled", "sample-percent", "100"));
        assertFails(50, r);
        assertEquals("sampled", r.mode());
        assertEquals("100% of the table's pages", r.scope());
        assertEquals(100, number(r.samples().get(0).get("id")));
        assertEquals(1100, number(r.samples().get(0).get("parent_id")));
    }
}
