package io.poolwatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.store.Database;
import io.poolwatch.testing.TestDatabases;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbc.JdbcLockProvider;

/**
 * ShedLock's JDBC provider on the lock table the outbox migrations create, on each engine: a held lock is refused to a
 * second process, is extended by its holder, outlives its holder by lock-at-most-for and its run by lock-at-least-for.
 * Each engine in a database of this test's own.
 */
class ClusterLocksTest {

    private static final String DATABASE = "poolwatch_cluster_locks";

    private static void exercise(DataSource dataSource, DatabaseKind kind) throws Exception {
        Database database = Database.on(dataSource, kind, "workload main");
        database.migrate();
        String table = database.table("shedlock");
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM " + table);
        }
        // Two providers stand for two processes: each keeps its own cache of the rows it has inserted.
        LockProvider one = new JdbcLockProvider(dataSource, table);
        LockProvider two = new JdbcLockProvider(dataSource, table);

        SimpleLock held = one.lock(config("jobs", Duration.ofSeconds(30), Duration.ZERO)).orElseThrow();
        assertTrue(two.lock(config("jobs", Duration.ofSeconds(30), Duration.ZERO)).isEmpty(), kind + ": held by the other");
        SimpleLock extended = held.extend(Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
        assertTrue(two.lock(config("jobs", Duration.ofSeconds(30), Duration.ZERO)).isEmpty(),
                kind + ": still held after extending");
        extended.unlock();
        SimpleLock taken = two.lock(config("jobs", Duration.ofSeconds(30), Duration.ZERO)).orElseThrow();
        taken.unlock();

        // A holder that dies: the lock is free once lock-at-most-for has passed, not before.
        one.lock(config("dies", Duration.ofMillis(800), Duration.ZERO)).orElseThrow();
        assertTrue(two.lock(config("dies", Duration.ofMillis(800), Duration.ZERO)).isEmpty(),
                kind + ": within lock-at-most-for");
        Thread.sleep(1000);
        assertTrue(two.lock(config("dies", Duration.ofSeconds(5), Duration.ZERO)).isPresent(),
                kind + ": after lock-at-most-for");

        // A check run: released at once, still refused until lock-at-least-for has passed.
        one.lock(config("check:x", Duration.ofSeconds(5), Duration.ofMillis(800))).orElseThrow().unlock();
        assertTrue(two.lock(config("check:x", Duration.ofSeconds(5), Duration.ofMillis(800))).isEmpty(),
                kind + ": within lock-at-least-for");
        Thread.sleep(1000);
        assertTrue(two.lock(config("check:x", Duration.ofSeconds(5), Duration.ofMillis(800))).isPresent(),
                kind + ": after lock-at-least-for");

        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            assertEquals(3, rs.getInt(1), kind + ": one row per lock name");
        }
    }

    private static LockConfiguration config(String name, Duration atMost, Duration atLeast) {
        return new LockConfiguration(Instant.now(), name, atMost, atLeast);
    }

    @Test
    void h2() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + DATABASE + ";DB_CLOSE_DELAY=-1");
        exercise(ds, DatabaseKind.H2);
    }

    @Test
    void postgresql() throws Exception {
        exercise(TestDatabases.postgres().freshDatabase(DATABASE), DatabaseKind.POSTGRESQL);
    }

    @Test
    void mariadb() throws Exception {
        exercise(new MariaDbDataSource(TestDatabases.freshMariadbDatabase(DATABASE)), DatabaseKind.MARIADB);
    }
}
