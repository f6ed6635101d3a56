package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.testing.TestConfigs;

/**
 * What statement timing promises, run against a real server by each subclass: every execute path of statements,
 * prepared and callable statements (single, batch, large) is counted once, failures as failures; the timed ones reach the
 * exported histogram scaled to the exact count, busy or not; every statement over the slow threshold is kept with its
 * text stripped of values, batches as "(batch of N)", whether it was timed or not; and the wrappers behave as the
 * driver's objects do for unwrap, isWrapperFor and getConnection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TimedStatementContract {

    /** The slow threshold of the pool under test; the sleeps below run past it. */
    static final Duration SLOW = Duration.ofMillis(200);

    WorkloadPool pool;
    StatementRecorder recorder;

    /** Pool properties (url, user) of the server; the pool is "main" with one connection. */
    abstract Map<String, String> server();

    /** A statement that sleeps {@code seconds} and returns one row. */
    abstract String sleepQuery(double seconds);

    /** A string literal with a quote escaped by a backslash, as the engine writes one, around {@code text}. */
    abstract String escapedLiteral(String text);

    /** An insert into probe of one parameter that sleeps {@code seconds}, for prepared batches. */
    abstract String sleepInsert(double seconds);

    /** A statement without a result that sleeps {@code seconds}, for batches. */
    abstract String sleepUpdate(double seconds);

    /** DDL of a temporary table probe (id generated, v int) and of a procedure pw_hotpath_noop(int) that does nothing. */
    abstract List<String> createProbe();

    /** A callable statement with one IN parameter (an int) and no OUT parameter, that the server can run. */
    abstract String callWithInParameter();

    /** A callable statement "? = call f(?)" returning an int, or null if the driver has none that needs no setup. */
    abstract String callWithOutParameter();

    /** Whether the driver returns generated keys by column index (PostgreSQL's refuses to). */
    abstract boolean supportsColumnIndexes();

    /** The driver's own statement class, which unwrap must reach. */
    abstract Class<?> driverStatementClass();

    /** Cleans up whatever {@link #createProbe()} and the callables made. */
    abstract void dropProbe(Statement st) throws SQLException;

    @BeforeAll
    void open() throws SQLException {
        Map<String, String> p = new LinkedHashMap<>(server());
        p.put("poolwatch.pools.main.min-size", "1");
        p.put("poolwatch.pools.main.max-size", "1");
        p.put("poolwatch.monitoring.slow-query-threshold", SLOW.toMillis() + "ms");
        ResolvedConfiguration config = TestConfigs.resolve(TestConfigs.only(p, "main"), Map.of());
        pool = PoolFactory.create(config.pools().get(0), config.monitoring());
        recorder = pool.statements();
        try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String ddl : createProbe()) {
                st.execute(ddl);
            }
        }
    }

    @AfterAll
    void close() throws SQLException {
        if (pool != null) {
            try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
                dropProbe(st);
            } finally {
                pool.close();
            }
        }
    }

    @BeforeEach
    void quiet() {
        // A long interval with few statements: every statement is timed again.
        recorder.takeInterval(Duration.ofHours(1));
    }

    /** One way of running a statement on a connection. */
    interface Execution {
        void run(Connection c) throws SQLException;
    }

    private Map<String, Execution> executions() {
        String insert = "INSERT INTO probe (v) VALUES (1)";
        Map<String, Execution> all = new LinkedHashMap<>();
        all.put("Statement.execute(sql)", c -> st(c).execute("SELECT 1"));
        all.put("Statement.execute(sql, keys)", c -> st(c).execute(insert, Statement.RETURN_GENERATED_KEYS));
        if (supportsColumnIndexes()) {
            all.put("Statement.execute(sql, int[])", c -> st(c).execute(insert, new int[] { 1 }));
            all.put("prepareStatement(sql, int[])",
                    c -> ps(c.prepareStatement("INSERT INTO probe (v) VALUES (?)", new int[] { 1 }))
                            .executeUpdate());
        }
        all.put("Statement.execute(sql, String[])", c -> st(c).execute(insert, new String[] { "id" }));
        all.put("Statement.executeQuery", c -> st(c).executeQuery("SELECT 1").close());
        all.put("Statement.executeUpdate(sql)", c -> st(c).executeUpdate(insert));
        all.put("Statement.executeUpdate(sql, keys)", c -> st(c).executeUpdate(insert, Statement.RETURN_GENERATED_KEYS));
        all.put("Statement.executeUpdate(sql, String[])", c -> st(c).executeUpdate(insert, new String[] { "id" }));
        all.put("Statement.executeLargeUpdate(sql)", c -> st(c).executeLargeUpdate(insert));
        all.put("Statement.executeLargeUpdate(sql, keys)",
                c -> st(c).executeLargeUpdate(insert, Statement.RETURN_GENERATED_KEYS));
        all.put("Statement.executeLargeUpdate(sql, String[])", c -> st(c).executeLargeUpdate(insert, new String[] { "id" }));
        all.put("Statement.executeBatch", c -> {
            Statement st = st(c);
            st.addBatch(insert);
            st.addBatch(insert);
            assertEquals(2, st.executeBatch().length);
        });
        all.put("Statement.executeLargeBatch", c -> {
            Statement st = st(c);
            st.addBatch(insert);
            assertEquals(1, st.executeLargeBatch().length);
        });
        all.put("createStatement(type, concurrency)",
                c -> c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)
                        .executeQuery("SELECT 1").close());
        all.put("createStatement(type, concurrency, holdability)", c -> c.createStatement(ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY, ResultSet.CLOSE_CURSORS_AT_COMMIT).executeQuery("SELECT 1").close());
        all.put("PreparedStatement.execute", c -> ps(c.prepareStatement("SELECT ?")).execute());
        all.put("PreparedStatement.executeQuery", c -> ps(c.prepareStatement("SELECT ?")).executeQuery().close());
        all.put("PreparedStatement.executeUpdate",
                c -> ps(c.prepareStatement("INSERT INTO probe (v) VALUES (?)")).executeUpdate());
        all.put("PreparedStatement.executeLargeUpdate",
                c -> ps(c.prepareStatement("INSERT INTO probe (v) VALUES (?)")).executeLargeUpdate());
        all.put("PreparedStatement.executeBatch", c -> {
            PreparedStatement ps = c.prepareStatement("INSERT INTO probe (v) VALUES (?)");
            for (int i = 0; i < 3; i++) {
                ps.setInt(1, i);
                ps.addBatch();
            }
            assertEquals(3, ps.executeBatch().length);
        });
        all.put("PreparedStatement.executeLargeBatch", c -> {
            PreparedStatement ps = c.prepareStatement("INSERT INTO probe (v) VALUES (?)");
            ps.setInt(1, 7);
            ps.addBatch();
            assertEquals(1, ps.executeLargeBatch().length);
        });
        all.put("prepareStatement(sql, keys)",
                c -> ps(c.prepareStatement("INSERT INTO probe (v) VALUES (?)", Statement.RETURN_GENERATED_KEYS))
                        .executeUpdate());
        all.put("prepareStatement(sql, String[])",
                c -> ps(c.prepareStatement("INSERT INTO probe (v) VALUES (?)", new String[] { "id" }))
                        .executeUpdate());
        all.put("prepareStatement(sql, type, concurrency)", c -> ps(c.prepareStatement("SELECT ?", ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)).executeQuery().close());
        all.put("prepareStatement(sql, type, concurrency, holdability)",
                c -> ps(c.prepareStatement("SELECT ?", ResultSet.TYPE_FORWARD_ONLY,
                        ResultSet.CONCUR_READ_ONLY, ResultSet.CLOSE_CURSORS_AT_COMMIT)).executeQuery().close());
        all.put("CallableStatement.execute", c -> {
            CallableStatement cs = c.prepareCall(callWithInParameter());
            cs.setInt(1, 5);
            cs.execute();
        });
        all.put("prepareCall(sql, type, concurrency)", c -> {
            CallableStatement cs = c.prepareCall(callWithInParameter(), ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY);
            cs.setInt(1, 5);
            cs.executeUpdate();
        });
        all.put("prepareCall(sql, type, concurrency, holdability)", c -> {
            CallableStatement cs = c.prepareCall(callWithInParameter(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY,
                    ResultSet.CLOSE_CURSORS_AT_COMMIT);
            cs.setInt(1, 5);
            cs.executeLargeUpdate();
        });
        all.put("CallableStatement.executeBatch", c -> {
            CallableStatement cs = c.prepareCall(callWithInParameter());
            cs.setInt(1, 1);
            cs.addBatch();
            cs.setInt(1, 2);
            cs.addBatch();
            cs.executeBatch();
        });
        if (callWithOutParameter() != null) {
            all.put("CallableStatement with an OUT parameter", c -> {
                CallableStatement cs = c.prepareCall(callWithOutParameter());
                cs.registerOutParameter(1, Types.INTEGER);
                cs.setInt(2, -4);
                cs.execute();
                assertEquals(4, cs.getInt(1));
            });
        }
        return all;
    }

    private static Statement st(Connection c) throws SQLException {
        return c.createStatement();
    }

    /** The statement with its one parameter set. */
    private static PreparedStatement ps(PreparedStatement ps) throws SQLException {
        ps.setInt(1, 3);
        return ps;
    }

    @Test
    void everyExecutePathIsCountedOnceAndCompleted() throws SQLException {
        for (Map.Entry<String, Execution> e : executions().entrySet()) {
            long before = recorder.statements();
            long completedBefore = recorder.completedStatements();
            try (Connection c = pool.dataSource().getConnection()) {
                e.getValue().run(c);
            }
            assertEquals(before + 1, recorder.statements(), e.getKey() + " is counted once");
            assertEquals(completedBefore + 1, recorder.completedStatements(), e.getKey() + " completed");
        }
        assertTrue(recorder.sinceLastCompleted(System.nanoTime()).isPresent());
    }

    @Test
    void aFailedStatementIsCountedButIsNoProofOfWork() throws SQLException {
        long before = recorder.statements();
        long completedBefore = recorder.completedStatements();
        try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
            assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM no_such_table_here"));
            PreparedStatement ps = c.prepareStatement("SELECT * FROM probe WHERE v = ?");
            assertThrows(SQLException.class, ps::executeQuery, "no parameter set");
        }
        assertEquals(before + 2, recorder.statements());
        assertEquals(completedBefore, recorder.completedStatements());
    }

    @Test
    void timedStatementsReachTheHistogramScaledToTheExactCountQuietOrBusy() throws SQLException {
        // Statements of an interval in which none was timed wait for one that has timed ones (a quiet pool times all).
        runSelects(1);
        recorder.takeInterval(Duration.ofHours(1));
        long folded = recorder.durations().count();
        assertEquals(recorder.statements(), folded, "the histogram has every statement so far");
        runSelects(40);
        assertEquals(1, recorder.timedOneIn(), "a quiet pool times every statement");
        recorder.takeInterval(Duration.ofHours(1));
        assertEquals(folded + 40, recorder.durations().count());
        assertEquals(recorder.statements(), recorder.durations().snapshot().count());
        assertTrue(recorder.totalNanos() > 0);

        // 40 statements in a millisecond is a busy pool: one statement in 64 is timed from now on (625 a second).
        runSelects(40);
        recorder.takeInterval(Duration.ofMillis(1));
        assertEquals(64, recorder.timedOneIn());
        long nanosBefore = recorder.totalNanos();
        runSelects(640);
        recorder.takeInterval(Duration.ofMillis(10));
        assertEquals(recorder.statements(), recorder.durations().count(), "every statement is counted, timed or not");
        assertTrue(recorder.totalNanos() > nanosBefore, "the time of the untimed ones is estimated from the timed ones");
    }

    private void runSelects(int n) throws SQLException {
        try (Connection c = pool.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("SELECT ?")) {
            for (int i = 0; i < n; i++) {
                ps.setInt(1, i);
                ps.executeQuery().close();
            }
        }
    }

    @Test
    void everySlowStatementIsKeptWithItsTextStrippedEvenWhenNotTimed() throws SQLException {
        recorder.resetSlowTexts();
        // Busy: one statement in 128 is timed, so these slow ones are very likely measured on the coarse clock.
        runSelects(100);
        recorder.takeInterval(Duration.ofMillis(1));
        assertEquals(128, recorder.timedOneIn());
        long slowBefore = recorder.slowStatements();
        try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (int i = 0; i < 3; i++) {
                st.executeQuery(sleepQuery(0.3) + ", 'card-4111111111111111' AS secret, "
                        + escapedLiteral("it's opensesame") + " AS quoted").close();
            }
            st.executeQuery("SELECT 1").close();
        }
        assertEquals(slowBefore + 3, recorder.slowStatements(), "every slow statement, none of the fast one");
        SlowStatement slow = recorder.slowTexts().get(0);
        assertEquals(3, slow.count());
        assertFalse(slow.sql().contains("4111"), slow.sql());
        assertFalse(slow.sql().contains("opensesame"), "no part of a string with an escaped quote: " + slow.sql());
        // PostgreSQL's escape string keeps its E before the ?.
        assertTrue(slow.sql().contains("? AS secret, ") && slow.sql().endsWith("? AS quoted"), slow.sql());
        long tickMs = recorder.tickNanos() / 1_000_000;
        assertTrue(slow.longestMs() >= 300 - tickMs, slow.toString());
    }

    @Test
    void slowBatchesAreKeptAsTheirFirstStatementAndTheirSize() throws SQLException {
        recorder.resetSlowTexts();
        try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.addBatch("INSERT INTO probe (v) VALUES (42)");
            st.addBatch(sleepUpdate(0.25));
            st.executeBatch();
            PreparedStatement ps = c.prepareStatement(sleepInsert(0.15));
            for (int i = 0; i < 2; i++) {
                ps.setInt(1, i);
                ps.addBatch();
            }
            ps.executeBatch();
            // A batch already run is not carried into the next execution's text.
            st.executeQuery(sleepQuery(0.25)).close();
        }
        List<String> texts = recorder.slowTexts().stream().map(SlowStatement::sql).toList();
        assertTrue(texts.contains("INSERT INTO probe (v) VALUES (?) (batch of 2)"), texts.toString());
        assertTrue(
                texts.stream()
                        .anyMatch(t -> t.startsWith("INSERT INTO probe (v) ")
                                && t.toLowerCase(Locale.ROOT).contains("sleep(?)") && t.endsWith(" (batch of 2)")),
                texts.toString());
        assertTrue(texts.stream().anyMatch(t -> !t.contains("batch") && !t.contains("INSERT")), texts.toString());
    }

    @Test
    void wrappersUnwrapToTheDriversObjectsAndAnswerWithThePoolsConnection() throws SQLException {
        try (Connection c = pool.dataSource().getConnection();
                Statement st = c.createStatement();
                PreparedStatement ps = c.prepareStatement("SELECT ?");
                CallableStatement cs = c.prepareCall(callWithInParameter())) {
            for (Statement s : List.of(st, ps, cs)) {
                assertSame(c, s.getConnection(), "getConnection gives the connection the application holds");
                assertTrue(s.isWrapperFor(driverStatementClass()));
                Object raw = s.unwrap(driverStatementClass());
                assertNotNull(raw);
                assertFalse(raw instanceof TimedStatement, "unwrap reaches the driver's statement");
            }
            Connection physical = c.unwrap(Connection.class);
            // Below the pool's own wrapper the statement answers with poolwatch's connection, as the pool expects.
            if (physical instanceof TimedConnection timed) {
                try (Statement inner = timed.createStatement()) {
                    assertSame(timed, inner.getConnection());
                    assertTrue(inner instanceof TimedStatement);
                }
            }
        }
        Connection timed = new TimedConnection(rawConnection(), recorder);
        try (timed) {
            long before = recorder.statements();
            try (Statement inner = timed.createStatement();
                    PreparedStatement ps = timed.prepareStatement("SELECT ?");
                    CallableStatement cs = timed.prepareCall(callWithInParameter())) {
                assertSame(timed, inner.getConnection());
                assertSame(timed, ps.getConnection());
                assertSame(timed, cs.getConnection());
                assertTrue(inner.isWrapperFor(driverStatementClass()));
                assertFalse(inner.unwrap(Statement.class) instanceof TimedStatement);
                inner.execute("SELECT 1");
                inner.close();
                assertTrue(inner.isClosed());
            }
            assertEquals(before + 1, recorder.statements());
        }
    }

    /** A connection straight from the driver, outside the pool. */
    abstract Connection rawConnection() throws SQLException;
}
