package io.poolwatch.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.PoolGroup;

/**
 * What every consistency check does against a real database, whichever the engine: each built-in kind counts exactly
 * the seeded violations and passes once they are fixed, runs are read-only and cancelled by the server at their
 * timeout, and chunked runs resume from their watermark. Subclasses supply the engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChecksContract {

    private PoolGroup pools;

    /** Opens the poolwatch pools with a {@code main} workload on the engine's test database. */
    abstract PoolGroup openPools() throws SQLException;

    /** The engine, as the check definitions see it. */
    abstract DatabaseKind kind();

    /** A connection of the test itself, outside every pool, auto-commit, for seeding. */
    abstract Connection admin() throws SQLException;

    /** Drops and recreates this class's tables' namespace (a schema, or a table-name prefix). */
    abstract void resetTables(Statement st) throws SQLException;

    /** The qualified name of one of this class's tables. */
    abstract String table(String name);

    /** The column type of a timestamp without time zone. */
    abstract String timestampType();

    /** A count query that sleeps 5 s. */
    abstract String sleepingCount();

    /** A statement that deletes every row of {@code table}, written to run where a count query goes. */
    abstract String deletingCount(String table);

    /** What the server's message says when its statement timeout cancelled a statement. */
    abstract String serverTimeoutMessage();

    /**
     * A bound on the run's duration that only a cancellation at the check's own timeout meets: below the 5 s the
     * statement sleeps, and, where the message cannot tell them apart, below the driver's backstop (the timeout's
     * whole seconds + 2 s).
     */
    abstract double cancelledWithinSeconds();

    /** A query returning the session's statement timeout, and what it returns for the main workload's 30 s. */
    abstract List<String> sessionTimeout();

    /** The start of the server's message for a syntax error. */
    abstract String syntaxErrorMessage();

    @BeforeAll
    void setUp() throws SQLException {
        pools = openPools();
        try (Connection c = admin(); Statement st = c.createStatement()) {
            resetTables(st);
        }
    }

    @AfterAll
    void tearDown() {
        if (pools != null) {
            pools.close();
        }
    }

    /**
     * The pool has one connection, so the one a check used is the one handed out next: whatever the check left on it
     * would show here.
     */
    DataSource dataSource() {
        return pools.get("main").dataSource();
    }

    /** A check on the {@code main} workload made of {@code keyValues}, validated as configuration would be. */
    CheckDefinition check(String... keyValues) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("workload", "main");
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        List<CheckDefinition> parsed = CheckDefinitionParser.parse(
                List.of(new CheckDefinitionParser.Source("test", Map.of("c", keys))),
                Map.of("main", kind()));
        assertEquals(1, parsed.size());
        return parsed.get(0);
    }

    CheckResult run(CheckDefinition check) {
        return run(check, new ChunkCursor());
    }

    CheckResult run(CheckDefinition check, ChunkCursor cursor) {
        return CheckRunner.run(check, dataSource(), cursor, "manual");
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    long rows(String table) throws SQLException {
        try (Connection c = admin();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The pool's connection, after a check, is writable again and in auto-commit. */
    void assertPoolConnectionWritable() throws SQLException {
        String t = table("after_check");
        sql("CREATE TABLE IF NOT EXISTS " + t + " (id BIGINT)");
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            assertTrue(c.getAutoCommit(), "auto-commit was not restored");
            assertEquals(1, st.executeUpdate("INSERT INTO " + t + " (id) VALUES (1)"));
        }
        assertTrue(rows(t) > 0);
    }

    static void assertFails(long violations, CheckResult r) {
        assertEquals("fail", r.status(), r.toString());
        assertEquals(violations, r.violations(), r.toString());
        assertNull(r.message(), r.toString());
    }

    static void assertPasses(CheckResult r) {
        assertEquals("pass", r.status(), r.toString());
        assertEquals(0L, r.violations(), r.toString());
        assertEquals(List.of(), r.samples(), r.toString());
    }

    static void assertError(CheckResult r, String... fragments) {
        assertEquals("error", r.status(), r.toString());
        assertNull(r.violations(), r.toString());
        assertNotNull(r.message(), r.toString());
        for (String f : fragments) {
            assertTrue(r.message().toLowerCase(Locale.ROOT).contains(f.toLowerCase(Locale.ROOT)),
                    "no '" + f + "' in " + r.message());
        }
    }

    static long number(Object value) {
        assertTrue(value instanceof Number, "not a number: " + value);
        return ((Number) value).longValue();
    }

    static void assertAmount(String expected, Object actual) {
        assertTrue(actual instanceof BigDecimal, "not a decimal: " + actual);
        assertEquals(0, new BigDecimal(expected).compareTo((BigDecimal) actual), "expected " + expected + ", was " + actual);
    }

    @Test
    void orphansAreChildrenWhoseParentIsMissingButNotNullKeys() throws SQLException {
        String parent = table("orph_parent");
        String child = table("orph_child");
        sql("CREATE TABLE " + parent + " (id BIGINT PRIMARY KEY)",
                "CREATE TABLE " + child + " (id BIGINT PRIMARY KEY, parent_id BIGINT)",
                "INSERT INTO " + parent + " (id) VALUES (1), (2), (3)",
                "INSERT INTO " + child + " (id, parent_id) VALUES (1, 1), (2, 2), (3, NULL), (4, 9), (5, 3), (6, 7)");
        CheckDefinition check = check("kind", "orphans", "table", child, "column", "parent_id", "parent-table", parent);

        CheckResult r = run(check);
        assertFails(2, r);
        assertEquals("full", r.mode());
        assertEquals("whole table", r.scope());
        assertEquals("manual", r.trigger());
        assertEquals("main", r.workload());
        assertEquals(2, r.samples().size(), r.toString());
        assertEquals(4, number(r.samples().get(0).get("id")));
        assertEquals(9, number(r.samples().get(0).get("parent_id")));
        assertEquals(6, number(r.samples().get(1).get("id")));
        assertEquals(7, number(r.samples().get(1).get("parent_id")));

        sql("INSERT INTO " + parent + " (id) VALUES (7), (9)");
        assertPasses(run(check));
    }

    @Test
    void ledgerBalanceFindsEachTransactionWhoseSignedAmountsDoNotCancel() throws SQLException {
        String ledger = table("ledger_signed");
        sql("CREATE TABLE " + ledger + " (id BIGINT PRIMARY KEY, txn_id BIGINT NOT NULL, amount DECIMAL(12,2) NOT NULL)",
                "INSERT INTO " + ledger
                        + " (id, txn_id, amount) VALUES (1, 1, 100.00), (2, 1, -100.00), (3, 2, 50.00), (4, 2, -40.00),"
                        + " (5, 3, 5.00), (6, 3, -2.50), (7, 3, -2.50)");
        CheckDefinition check = check("kind", "ledger-balance", "table", ledger, "group-column", "txn_id");

        CheckResult r = run(check);
        assertFails(1, r);
        Map<String, Object> sample = r.samples().get(0);
        assertEquals(2, number(sample.get("txn_id")), sample.toString());
        assertAmount("10", sample.get("credits_minus_debits"));
        assertEquals(2, number(sample.get("entries")), sample.toString());

        sql("INSERT INTO " + ledger + " (id, txn_id, amount) VALUES (8, 2, -10.00)");
        assertPasses(run(check));
    }

    @Test
    void ledgerBalanceByDayGroupsDebitsAndCreditsByCalendarDay() throws SQLException {
        String ledger = table("ledger_daily");
        sql("CREATE TABLE " + ledger + " (id BIGINT PRIMARY KEY, booked_at " + timestampType() + " NOT NULL,"
                + " amount DECIMAL(12,2) NOT NULL, direction CHAR(1) NOT NULL)",
                "INSERT INTO " + ledger + " (id, booked_at, amount, direction) VALUES"
                        + " (1, '2024-03-01 08:00:00', 100.00, 'C'), (2, '2024-03-01 17:00:00', 100.00, 'D'),"
                        // 2 March: 70 credited, 50 debited.
                        + " (3, '2024-03-02 09:00:00', 70.00, 'C'), (4, '2024-03-02 23:00:00', 50.00, 'D'),"
                        + " (5, '2024-03-03 00:00:01', 10.00, 'C'), (6, '2024-03-03 23:59:59', 10.00, 'D'),"
                        // Balanced over two days, so unbalanced on each of them.
                        + " (7, '2024-03-04 23:59:59', 30.00, 'C'), (8, '2024-03-05 00:00:00', 30.00, 'D')");
        CheckDefinition check = check("kind", "ledger-balance", "table", ledger, "group-column", "booked_at", "period", "day",
                "direction-column", "direction");

        CheckResult r = run(check);
        assertFails(3, r);
        assertEquals(3, r.samples().size(), r.toString());
        assertTrue(String.valueOf(r.samples().get(0).get("period_start")).startsWith("2024-03-02"), r.toString());
        assertAmount("20", r.samples().get(0).get("credits_minus_debits"));
        assertTrue(String.valueOf(r.samples().get(1).get("period_start")).startsWith("2024-03-04"), r.toString());
        assertAmount("30", r.samples().get(1).get("credits_minus_debits"));
        assertAmount("-30", r.samples().get(2).get("credits_minus_debits"));

        sql("INSERT INTO " + ledger + " (id, booked_at, amount, direction) VALUES (9, '2024-03-02 23:30:00', 20.00, 'D')",
                "UPDATE " + ledger + " SET booked_at = '2024-03-04 23:59:59' WHERE id = 8");
        assertPasses(run(check));
    }

    @Test
    void accountBalanceIsCreditsMinusDebitsOfTheAccountsEntries() throws SQLException {
        String accounts = table("acct");
        String postings = table("acct_postings");
        sql("CREATE TABLE " + accounts + " (id BIGINT PRIMARY KEY, balance DECIMAL(12,2) NOT NULL)",
                "CREATE TABLE " + postings
                        + " (id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL, amount DECIMAL(12,2) NOT NULL,"
                        + " direction CHAR(1) NOT NULL)",
                // 1: 100 credited, 30 debited; 2: only a credit; 3: no entries; 4: 10 debited but not booked; 5: overdrawn.
                "INSERT INTO " + accounts + " (id, balance) VALUES (1, 70.00), (2, 50.00), (3, 0.00), (4, 100.00), (5, -30.00)",
                "INSERT INTO " + postings
                        + " (id, account_id, amount, direction) VALUES (1, 1, 100.00, 'C'), (2, 1, 30.00, 'D'),"
                        + " (3, 2, 50.00, 'C'), (4, 4, 100.00, 'C'), (5, 4, 10.00, 'D'), (6, 5, 30.00, 'D')");
        CheckDefinition check = check("kind", "account-balance", "table", accounts, "entries-table", postings,
                "direction-column", "direction", "balance-sign", "credit-positive");

        CheckResult r = run(check);
        assertFails(1, r);
        Map<String, Object> sample = r.samples().get(0);
        assertEquals(4, number(sample.get("id")), sample.toString());
        assertAmount("100", sample.get("balance"));
        assertAmount("90", sample.get("entries_total"));

        sql("UPDATE " + accounts + " SET balance = 90.00 WHERE id = 4");
        assertPasses(run(check));
        // The same books read debit-positive disagree with every account that has entries.
        assertFails(4, run(check("kind", "account-balance", "table", accounts, "entries-table", postings,
                "direction-column", "direction", "balance-sign", "debit-positive")));
    }

    @Test
    void rangeCountsValuesOutsideTheBoundsOnlyOnFilteredRows() throws SQLException {
        String balances = table("range_balances");
        sql("CREATE TABLE " + balances + " (id BIGINT PRIMARY KEY, kind VARCHAR(20) NOT NULL, balance DECIMAL(12,2) NOT NULL)",
                "INSERT INTO " + balances + " (id, kind, balance) VALUES (1, 'customer', 10.00), (2, 'customer', -5.00),"
                        + " (3, 'equity', -1000.00), (4, 'savings', -0.01), (5, 'customer', 0.00), (6, 'customer', 5.00)");
        CheckDefinition min = check("kind", "range", "table", balances, "column", "balance", "min", "0",
                "filter-column", "kind", "filter-values", "customer, savings");
        CheckDefinition max = check("kind", "range", "table", balances, "column", "balance", "max", "5");

        CheckResult below = run(min);
        assertFails(2, below);
        assertEquals(2, number(below.samples().get(0).get("id")), below.toString());
        assertAmount("-5", below.samples().get(0).get("balance"));
        assertEquals("customer", below.samples().get(0).get("kind"));
        assertEquals(4, number(below.samples().get(1).get("id")), below.toString());

        CheckResult above = run(max);
        assertFails(1, above);
        assertEquals(1, number(above.samples().get(0).get("id")), above.toString());
        assertAmount("10", above.samples().get(0).get("balance"));

        sql("UPDATE " + balances + " SET balance = 0 WHERE id IN (1, 2, 4)");
        assertPasses(run(min));
        assertPasses(run(max));
    }

    @Test
    void duplicatesCountEveryRowSharingItsKeyTheSameInFullAndChunkedMode() throws SQLException {
        String people = table("dup_people");
        sql("CREATE TABLE " + people + " (id BIGINT PRIMARY KEY, tenant VARCHAR(10) NOT NULL, email VARCHAR(50))",
                "INSERT INTO " + people + " (id, tenant, email) VALUES (1, 'a', 'x@example.org'), (2, 'a', 'x@example.org'),"
                        + " (3, 'b', 'x@example.org'), (4, 'a', 'y@example.org'), (5, 'a', 'x@example.org'),"
                        + " (6, 'b', 'z@example.org'), (7, 'b', 'z@example.org'), (8, 'c', NULL), (9, 'c', NULL)");
        String[] keys = { "kind", "duplicates", "table", people, "key-columns", "tenant, email" };

        // Rows 1, 2, 5 share (a, x@); 6, 7 share (b, z@); 3 differs by tenant; NULL keys are never duplicates.
        CheckDefinition full = check(keys);
        CheckResult r = run(full);
        assertFails(5, r);
        assertEquals("a", r.samples().get(0).get("tenant"), r.toString());
        assertEquals("x@example.org", r.samples().get(0).get("email"));
        assertEquals(3, number(r.samples().get(0).get("copies")));

        CheckResult oneChunk = run(check(concat(keys, "mode", "chunked", "chunk-size", "100")));
        assertFails(5, oneChunk);
        assertEquals("chunked", oneChunk.mode());
        assertEquals("keys 1..9", oneChunk.scope());
        assertEquals(1, number(oneChunk.samples().get(0).get("id")));
        assertEquals("x@example.org", oneChunk.samples().get(0).get("email"));

        // Small chunks: each run adds its range to the earlier ones still failing, so the last covers them all.
        CheckDefinition chunked = check(concat(keys, "mode", "chunked", "chunk-size", "3"));
        ChunkCursor cursor = new ChunkCursor();
        assertFails(2, run(chunked, cursor));
        assertFails(4, run(chunked, cursor));
        CheckResult last = run(chunked, cursor);
        assertFails(5, last);
        assertEquals("keys 7..9 and 2 earlier ranges with violations", last.scope());
        assertFails(5, run(chunked, cursor));

        sql("DELETE FROM " + people + " WHERE id IN (2, 5, 7)");
        assertPasses(run(full));
        assertPasses(run(chunked, cursor));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void customSqlCountsWithItsQueryAndShowsItsSampleRows() throws SQLException {
        String orders = table("sql_orders");
        sql("CREATE TABLE " + orders + " (id BIGINT PRIMARY KEY, total DECIMAL(12,2) NOT NULL)",
                "INSERT INTO " + orders
                        + " (id, total) VALUES (1, 10.00), (2, -1.00), (3, 5.00), (4, -2.00), (5, -3.00), (6, -4.00)");
        CheckDefinition check = check("kind", "sql", "sql", "SELECT COUNT(*) FROM " + orders + " WHERE total < 0",
                "sample-sql", "SELECT id, total FROM " + orders + " WHERE total < 0 ORDER BY id", "sample-rows", "3");

        CheckResult r = run(check);
        assertFails(4, r);
        assertEquals(3, r.samples().size(), "sample-rows caps the samples: " + r);
        assertEquals(List.of(2L, 4L, 5L), r.samples().stream().map(s -> number(s.get("id"))).toList());
        assertAmount("-1", r.samples().get(0).get("total"));

        sql("UPDATE " + orders + " SET total = 0 WHERE total < 0");
        assertPasses(run(check));
    }

    @Test
    void customSqlReturningSomethingOtherThanACountIsAnError() throws SQLException {
        String t = table("sql_words");
        sql("CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, word VARCHAR(10) NOT NULL)",
                "INSERT INTO " + t + " VALUES (1, 'many')");
        assertError(run(check("kind", "sql", "sql", "SELECT word FROM " + t)), "not a number");
        assertError(run(check("kind", "sql", "sql", "SELECT COUNT(*) FROM " + t + " GROUP BY id HAVING COUNT(*) > 1")),
                "returned no rows");
    }

    @Test
    void maskedColumnsShowAsStarsInSamples() throws SQLException {
        String customers = table("mask_customers");
        sql("CREATE TABLE " + customers
                + " (id BIGINT PRIMARY KEY, email VARCHAR(50) NOT NULL, balance DECIMAL(12,2) NOT NULL)",
                "INSERT INTO " + customers
                        + " (id, email, balance) VALUES (1, 'ok@example.org', 1.00), (2, 'ann@example.org', -7.00)");
        CheckDefinition check = check("kind", "sql", "sql", "SELECT COUNT(*) FROM " + customers + " WHERE balance < 0",
                "sample-sql", "SELECT id, email, balance FROM " + customers + " WHERE balance < 0", "mask-columns",
                "EMAIL, balance");

        CheckResult r = run(check);
        assertFails(1, r);
        Map<String, Object> sample = r.samples().get(0);
        assertEquals(2, number(sample.get("id")));
        assertEquals("****", sample.get("email"));
        assertEquals("****", sample.get("balance"));
        assertFalse(r.toString().contains("ann@example.org"), r.toString());
    }

    @Test
    void theServerCancelsACheckAtItsTimeout() throws SQLException {
        CheckResult r = run(check("kind", "sql", "sql", sleepingCount(), "timeout", "500ms"));
        assertEquals("timeout", r.status(), r.toString());
        assertNull(r.violations());
        assertTrue(r.message().startsWith("cancelled after 500ms: "), r.message());
        // The server's own words (on PostgreSQL the driver's backstop would say "user request" instead).
        assertTrue(r.message().contains(serverTimeoutMessage()), r.message());
        // Not a performance bound: a statement nobody cancelled would take its full 5 s, one the driver's backstop
        // cancelled 2 s.
        assertTrue(r.durationSeconds() < cancelledWithinSeconds(), r.toString());
        assertPoolConnectionWritable();
        // The check's 500 ms applied to its own statements only: the pool's connection keeps the workload's 30 s.
        try (Connection c = dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sessionTimeout().get(0))) {
            rs.next();
            assertEquals(sessionTimeout().get(1), rs.getString(1));
        }
    }

    @Test
    void aCheckCannotWriteEvenOnAWritablePool() throws SQLException {
        String victims = table("write_victims");
        sql("CREATE TABLE " + victims + " (id BIGINT PRIMARY KEY)", "INSERT INTO " + victims + " (id) VALUES (1), (2), (3)");
        // The pool's own connections can delete: what refuses below is the check's transaction.
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            assertEquals(3, st.executeUpdate("DELETE FROM " + victims));
            c.rollback();
        }
        assertEquals(3, rows(victims));

        CheckResult r = run(check("kind", "sql", "sql", deletingCount(victims)));
        assertEquals("error", r.status(), r.toString());
        assertNull(r.violations());
        assertTrue(r.message().toLowerCase(Locale.ROOT).replace(' ', '-').contains("read-only"), r.message());
        assertEquals(3, rows(victims));
        assertPoolConnectionWritable();
    }

    @Test
    void chunkedRunsResumeFromTheWatermarkAndRecheckRangesWithViolations() throws SQLException {
        String parent = table("chunk_parent");
        String child = table("chunk_child");
        sql("CREATE TABLE " + parent + " (id BIGINT PRIMARY KEY)",
                "CREATE TABLE " + child + " (id BIGINT PRIMARY KEY, parent_id BIGINT)",
                "INSERT INTO " + parent + " (id) VALUES (1)");
        StringBuilder insert = new StringBuilder("INSERT INTO " + child + " (id, parent_id) VALUES ");
        for (int i = 1; i <= 250; i++) {
            insert.append(i == 1 ? "" : ", ").append('(').append(i).append(", 1)");
        }
        sql(insert.toString());
        CheckDefinition check = check("kind", "orphans", "table", child, "column", "parent_id", "parent-table", parent,
                "mode", "chunked", "chunk-size", "100");
        ChunkCursor cursor = new ChunkCursor();

        for (String scope : List.of("keys 1..100", "keys 101..200", "keys 201..250", "no keys after 250")) {
            CheckResult r = run(check, cursor);
            assertPasses(r);
            assertEquals(scope, r.scope());
            assertEquals("chunked", r.mode());
        }

        sql("INSERT INTO " + child + " (id, parent_id) VALUES (300, 42)");
        CheckResult found = run(check, cursor);
        assertFails(1, found);
        assertEquals("keys 251..300", found.scope());
        assertEquals(300, number(found.samples().get(0).get("id")));
        assertEquals(42, number(found.samples().get(0).get("parent_id")));

        CheckResult again = run(check, cursor);
        assertFails(1, again);
        assertEquals("no keys after 300 and 1 earlier range with violations", again.scope());
        assertEquals(300, number(again.samples().get(0).get("id")));

        sql("DELETE FROM " + child + " WHERE id = 300");
        CheckResult clean = run(check, cursor);
        assertPasses(clean);
        assertEquals("no keys after 300 and 1 earlier range with violations", clean.scope());
        assertEquals("no keys after 300", run(check, cursor).scope());
    }

    @Test
    void aFreshCursorTakesUpASavedPlaceAndAChangedDefinitionDoesNot() throws SQLException {
        String parent = table("saved_parent");
        String child = table("saved_child");
        sql("CREATE TABLE " + parent + " (id BIGINT PRIMARY KEY)",
                "CREATE TABLE " + child + " (id BIGINT PRIMARY KEY, parent_id BIGINT)",
                "INSERT INTO " + parent + " (id) VALUES (1)",
                "INSERT INTO " + child + " (id, parent_id) VALUES (1, 1), (2, 1), (15, 1), (25, 99)");
        CheckDefinition check = check("kind", "orphans", "table", child, "column", "parent_id", "parent-table", parent,
                "mode", "chunked", "chunk-size", "10");
        ChunkCursor first = new ChunkCursor();
        assertEquals("keys 1..10", run(check, first).scope());
        assertEquals("keys 11..20", run(check, first).scope());

        // What ConsistencyChecks saves after a run and restores in the next process (or the replica taking over).
        ChunkCursor next = new ChunkCursor();
        assertTrue(next.restore(first.watermark().getAsLong(), first.pending()));
        CheckResult resumed = run(check, next);
        assertEquals("keys 21..25", resumed.scope(), "the next process goes on after the saved watermark");
        assertFails(1, resumed);
        assertFalse(next.restore(5, List.of()), "a cursor that has moved keeps its own place");

        // The fingerprint is the same for the same definition, and changes with what the watermark is about.
        assertEquals(ConsistencyChecks.fingerprint(check),
                ConsistencyChecks.fingerprint(check("kind", "orphans", "table", child, "column",
                        "parent_id", "parent-table", parent, "mode", "chunked", "chunk-size", "10")));
        assertNotEquals(ConsistencyChecks.fingerprint(check),
                ConsistencyChecks.fingerprint(check("kind", "orphans", "table", parent,
                        "column", "id", "parent-table", child, "mode", "chunked", "chunk-size", "10")));
    }

    @Test
    void chunkedModeDoesNotSeeAnOrphanBelowItsWatermarkWhichFullModeFinds() throws SQLException {
        String parent = table("below_parent");
        String child = table("below_child");
        sql("CREATE TABLE " + parent + " (id BIGINT PRIMARY KEY)",
                "CREATE TABLE " + child + " (id BIGINT PRIMARY KEY, parent_id BIGINT)",
                "INSERT INTO " + parent + " (id) VALUES (1)",
                "INSERT INTO " + child + " (id, parent_id) VALUES (1, 1), (2, 1), (10, 1), (20, 1)");
        CheckDefinition chunked = check("kind", "orphans", "table", child, "column", "parent_id", "parent-table", parent,
                "mode", "chunked", "chunk-size", "10");
        ChunkCursor cursor = new ChunkCursor();
        assertEquals("keys 1..10", run(chunked, cursor).scope());
        assertEquals("keys 11..20", run(chunked, cursor).scope());

        // A documented limitation: chunked mode reads only keys above its watermark and ranges that already failed.
        sql("INSERT INTO " + child + " (id, parent_id) VALUES (5, 77)");
        CheckResult missed = run(chunked, cursor);
        assertPasses(missed);
        assertEquals("no keys after 20", missed.scope());

        CheckResult full = run(check("kind", "orphans", "table", child, "column", "parent_id", "parent-table", parent));
        assertFails(1, full);
        assertEquals(5, number(full.samples().get(0).get("id")));
    }

    @Test
    void aSyntaxErrorIsAnErrorWithTheDatabasesMessage() throws SQLException {
        CheckResult r = run(check("kind", "sql", "sql", "SELEC COUNT(*) FROM nowhere"));
        assertError(r, syntaxErrorMessage());
        assertEquals(List.of(), r.samples());
        assertPoolConnectionWritable();
    }
}
