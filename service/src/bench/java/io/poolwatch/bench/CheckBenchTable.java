package io.poolwatch.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of {@link CheckModesBenchmark}, in schema {@code bench_checks}: 100,000 accounts and 5,000,000 entries
 * that all name an existing account and have amounts in [0, 1000], so every check passes. Built once and reused; the
 * row {@code bench_checks.built} is written last, so a build that was interrupted is dropped and started again.
 */
final class CheckBenchTable {

    static final String SCHEMA = "bench_checks";
    static final String ACCOUNTS = SCHEMA + ".accounts";
    static final String ENTRIES = SCHEMA + ".entries";
    static final long ACCOUNT_ROWS = 100_000;
    static final long ENTRY_ROWS = 5_000_000;

    private CheckBenchTable() {
    }

    /** Builds the tables unless a complete build of the same size is there; two builds never run at once. */
    static void ensure(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_lock(hashtext('" + SCHEMA + "'))");
            try {
                if (!complete(st)) {
                    build(st);
                }
            } finally {
                st.execute("SELECT pg_advisory_unlock(hashtext('" + SCHEMA + "'))");
            }
        }
    }

    private static boolean complete(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + SCHEMA + ".built') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return false;
            }
        }
        try (ResultSet rs = st.executeQuery("SELECT accounts, entries FROM " + SCHEMA + ".built")) {
            return rs.next() && rs.getLong(1) == ACCOUNT_ROWS && rs.getLong(2) == ENTRY_ROWS;
        }
    }

    private static void build(Statement st) throws SQLException {
        long t0 = System.nanoTime();
        System.out.println("building " + ENTRIES + " (" + ENTRY_ROWS + " rows); this takes a minute or two");
        st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        st.execute("CREATE SCHEMA " + SCHEMA);
        st.execute("CREATE TABLE " + ACCOUNTS + " (id BIGINT PRIMARY KEY, name TEXT NOT NULL)");
        st.execute("INSERT INTO " + ACCOUNTS + " SELECT g, 'account ' || g FROM generate_series(1, " + ACCOUNT_ROWS + ") g");
        // Keys and indexes are built after the rows are in, which is several times faster than maintaining them row by row.
        st.execute("CREATE TABLE " + ENTRIES + " (id BIGINT NOT NULL, account_id BIGINT, amount NUMERIC(18,2), created_at TIMESTAMP)");
        // Deterministic spread: every account gets 50 entries scattered over the table; amounts 0.00 .. 1000.00.
        st.execute("INSERT INTO " + ENTRIES + " SELECT g, 1 + (g * 7919) % " + ACCOUNT_ROWS + ", ((g * 104729) % 100001) / 100.0, "
                + "TIMESTAMP '2026-01-01' + g * INTERVAL '1 second' FROM generate_series(1::BIGINT, " + ENTRY_ROWS + ") g");
        st.execute("ALTER TABLE " + ENTRIES + " ADD PRIMARY KEY (id)");
        st.execute("CREATE INDEX entries_account_id ON " + ENTRIES + " (account_id)");
        // VACUUM as well as ANALYZE: the first reads would otherwise set hint bits, writing pages a check only reads.
        st.execute("VACUUM ANALYZE " + ACCOUNTS);
        st.execute("VACUUM ANALYZE " + ENTRIES);
        st.execute("CREATE TABLE " + SCHEMA + ".built (accounts BIGINT, entries BIGINT, built_at TIMESTAMPTZ DEFAULT now())");
        st.execute("INSERT INTO " + SCHEMA + ".built (accounts, entries) VALUES (" + ACCOUNT_ROWS + ", " + ENTRY_ROWS + ")");
        System.out.printf("built %s in %.0f s%n", ENTRIES, (System.nanoTime() - t0) / 1e9);
    }
}
