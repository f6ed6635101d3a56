package io.poolwatch.checks;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import io.poolwatch.config.Durations;
import io.poolwatch.engine.DatabaseKind;

/**
 * Runs one check once: in a read-only transaction, with the check's timeout enforced by the server (PostgreSQL's
 * {@code statement_timeout}, MariaDB's {@code max_statement_time}) and by the driver as a backstop, and always rolled
 * back. A failure of the SQL is a result ({@code error} with the database's message, or {@code timeout}), never an
 * exception.
 */
final class CheckRunner {

    /** Longest text kept of a sample value or an error message. */
    static final int MAX_TEXT = 300;
    static final String MASK = "****";
    /** How far above a check's timeout the driver's socket timeout lies during its run: past the driver's backstop (+2 s). */
    private static final int CHECK_SOCKET_MARGIN_SECONDS = 15;

    private CheckRunner() {
    }

    /**
     * Runs {@code check} on {@code dataSource}.
     *
     * @param cursor the check's chunk cursor, for chunked mode
     * @param trigger schedule or manual, for the result
     */
    static CheckResult run(CheckDefinition check, DataSource dataSource, ChunkCursor cursor, String trigger) {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        Outcome outcome;
        try (Connection c = dataSource.getConnection()) {
            int networkTimeout = widenNetworkTimeout(c, check.timeout());
            try {
                outcome = new Session(check, c).run(cursor);
            } finally {
                rollbackQuietly(c);
                restoreNetworkTimeout(c, networkTimeout);
            }
        } catch (SQLException e) {
            outcome = isTimeout(e)
                    ? new Outcome(CheckStatus.TIMEOUT, null, scopeOf(check),
                            "cancelled after " + Durations.format(check.timeout()) + ": " + message(e), List.of())
                    : new Outcome(CheckStatus.ERROR, null, scopeOf(check), message(e), List.of());
        } catch (RuntimeException e) {
            outcome = new Outcome(CheckStatus.ERROR, null, scopeOf(check),
                    e.getClass().getSimpleName() + ": " + truncate(e.getMessage()),
                    List.of());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new CheckResult(check.name(), outcome.status.label(), outcome.violations, check.allowedViolations(),
                check.mode().label(),
                outcome.scope, startedAt, Math.round(seconds * 1e6) / 1e6, outcome.message, outcome.samples, trigger,
                check.severity().label(), check.workload());
    }

    /**
     * A workload's socket timeout is above its own statement timeout, not above a check's, which may be longer: for the
     * check's run the driver waits for an answer until the check's timeout and its backstop have passed. Returns the
     * network timeout to restore (the pool does not reset it), or -1 when it was left as it was.
     */
    private static int widenNetworkTimeout(Connection c, Duration timeout) {
        try {
            int current = c.getNetworkTimeout();
            long needed = timeout.plusSeconds(CHECK_SOCKET_MARGIN_SECONDS).toMillis();
            if (current > 0 && current < needed) {
                c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, needed));
                return current;
            }
        } catch (SQLException | UnsupportedOperationException e) {
            // A driver without network timeouts has no socket timeout to widen.
        }
        return -1;
    }

    private static void restoreNetworkTimeout(Connection c, int networkTimeout) {
        if (networkTimeout < 0) {
            return;
        }
        try {
            c.setNetworkTimeout(Runnable::run, networkTimeout);
        } catch (SQLException e) {
            // A broken connection is discarded by the pool.
        }
    }

    private static String scopeOf(CheckDefinition check) {
        return switch (check.mode()) {
            case FULL -> new Scope.Full().describe();
            case CHUNKED -> "chunks of " + check.chunkSize() + " keys";
            case SAMPLED -> check.sampleScope().describe();
        };
    }

    private record Outcome(CheckStatus status, Long violations, String scope, String message,
            List<Map<String, Object>> samples) {
    }

    /** One run on one connection. */
    private static final class Session {
        private final CheckDefinition check;
        private final Connection connection;
        private final DatabaseKind db;
        /** The statement as sent: with the server's own time limit where the engine takes one per statement. */
        private final UnaryOperator<String> timed;

        Session(CheckDefinition check, Connection connection) throws SQLException {
            this.check = check;
            this.connection = connection;
            this.db = check.database();
            this.timed = db.dialect().statementTimeout(connection, check.timeout());
        }

        Outcome run(ChunkCursor cursor) throws SQLException {
            begin();
            return switch (check.mode()) {
                case FULL -> bounded(new Scope.Full());
                case SAMPLED -> bounded(check.sampleScope());
                case CHUNKED -> chunked(cursor);
            };
        }

        /** Read-only, repeatable read (so the count and the samples see the same data), the server's timeout set. */
        private void begin() throws SQLException {
            connection.setAutoCommit(false);
            db.dialect().beginReadOnlySnapshot(connection, check.timeout());
        }

        private Outcome bounded(Scope scope) throws SQLException {
            CheckQuery query = check.spec().query(db, scope, check.sampleRows());
            long violations = count(query.count());
            List<Map<String, Object>> samples = violations > 0 ? samples(query, check.sampleRows()) : List.of();
            return outcome(violations, scope.describe(), null, samples);
        }

        private Outcome outcome(long violations, String scope, String message, List<Map<String, Object>> samples) {
            CheckStatus status = violations > check.allowedViolations() ? CheckStatus.FAIL : CheckStatus.PASS;
            return new Outcome(status, violations, scope, message, samples);
        }

        private Outcome chunked(ChunkCursor cursor) throws SQLException {
            CheckSpec.ChunkKey key = check.spec().chunkKey().orElseThrow();
            CheckQuery.Sql bounds = new CheckQuery.Builder().sql("SELECT MIN(").sql(key.column()).sql("), MAX(")
                    .sql(key.column())
                    .sql(") FROM ").sql(key.table()).build();
            long min;
            long max;
            try (PreparedStatement ps = prepare(bounds); ResultSet rs = ps.executeQuery()) {
                rs.next();
                min = rs.getLong(1);
                if (rs.wasNull()) {
                    return outcome(0, "no rows in " + key.table(), null, List.of());
                }
                max = rs.getLong(2);
            }
            OptionalLong mark = cursor.watermark();
            long after = mark.isPresent() ? mark.getAsLong() : min - 1;
            List<Scope.KeyRange> ranges = new ArrayList<>(cursor.pending());
            Optional<Scope.KeyRange> next = after < max
                    ? Optional.of(new Scope.KeyRange(after, Math.min(max, after + check.chunkSize())))
                    : Optional.empty();
            next.ifPresent(ranges::add);

            long violations = 0;
            List<Scope.KeyRange> dirty = new ArrayList<>();
            for (Scope.KeyRange range : ranges) {
                long found = count(check.spec().query(db, range, check.sampleRows()).count());
                violations += found;
                if (found > 0) {
                    dirty.add(range);
                }
            }
            List<Map<String, Object>> samples = new ArrayList<>();
            for (Scope.KeyRange range : dirty) {
                if (samples.size() >= check.sampleRows()) {
                    break;
                }
                samples.addAll(samples(check.spec().query(db, range, check.sampleRows()), check.sampleRows() - samples.size()));
            }
            int earlier = ranges.size() - (next.isPresent() ? 1 : 0);
            String scope = next.map(Scope.KeyRange::describe).orElse("no keys after " + after)
                    + (earlier > 0 ? " and " + earlier + " earlier range" + (earlier == 1 ? "" : "s") + " with violations"
                            : "");
            String note = dirty.size() > ChunkCursor.MAX_PENDING
                    ? "more than " + ChunkCursor.MAX_PENDING + " ranges have violations; only the newest are checked again"
                    : null;
            cursor.advance(next.map(Scope.KeyRange::upTo).orElse(after), dirty);
            return outcome(violations, scope, note, List.copyOf(samples));
        }

        private PreparedStatement prepare(CheckQuery.Sql sql) throws SQLException {
            String text = timed.apply(sql.text());
            PreparedStatement ps = connection.prepareStatement(text);
            try {
                // The driver's own timer is a backstop: it fires only if the server's timeout did not.
                ps.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, check.timeout().toSeconds() + 2));
                for (int i = 0; i < sql.binds().size(); i++) {
                    ps.setObject(i + 1, sql.binds().get(i));
                }
                return ps;
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
        }

        private long count(CheckQuery.Sql sql) throws SQLException {
            try (PreparedStatement ps = prepare(sql); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException(
                            "the query returned no rows; accepted: a query returning one row whose first column is the "
                                    + "number of violations");
                }
                Object value = rs.getObject(1);
                if (value == null) {
                    return 0;
                }
                if (!(value instanceof Number n)) {
                    throw new SQLException("the query's first column is " + value.getClass().getSimpleName()
                            + ", not a number; accepted: a query returning one row whose first column is the number of violations");
                }
                return n.longValue();
            }
        }

        private List<Map<String, Object>> samples(CheckQuery query, int limit) throws SQLException {
            if (query.sample().isEmpty() || limit <= 0) {
                return List.of();
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (PreparedStatement ps = prepare(query.sample().get())) {
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next() && rows.size() < limit) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            String label = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
                            row.put(label, check.maskColumns().contains(label) ? MASK : jsonValue(rs.getObject(i)));
                        }
                        rows.add(row);
                    }
                }
            }
            return List.copyOf(rows);
        }
    }

    /** A value as JSON shows it: numbers and booleans as they are, anything else as bounded text. */
    static Object jsonValue(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof Short
                || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        if (value instanceof byte[] bytes) {
            return "<" + bytes.length + " bytes>";
        }
        return truncate(value.toString());
    }

    static boolean isTimeout(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String message = s.getMessage() == null ? "" : s.getMessage().toLowerCase(Locale.ROOT);
                // 57014 is also an operator's pg_cancel_backend ("due to user request"): only the timeout's is a timeout.
                boolean postgres = "57014".equals(s.getSQLState()) && message.contains("timeout");
                // MariaDB ER_STATEMENT_TIMEOUT; MySQL's max_execution_time (3024).
                boolean mariadb = s.getErrorCode() == 1969 || s.getErrorCode() == 3024
                        || ("70100".equals(s.getSQLState()) && message.contains("max_statement_time"));
                if (postgres || mariadb) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String message(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return truncate(m.replaceAll("\\s+", " ").trim());
    }

    static String truncate(String s) {
        if (s == null) {
            return null;
        }
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…";
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            // the connection is returned to the pool, which resets or discards it
        }
    }
}
