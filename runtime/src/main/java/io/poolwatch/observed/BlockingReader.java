package io.poolwatch.observed;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.MaskedSql;

/**
 * Reads who blocks whom on one database over one connection (poolwatch's monitoring connection), with a bounded
 * number of rows, and builds the tree ({@link BlockingTree}). A view that cannot be read gives an unavailable snapshot
 * with the reason, never an exception. Ages are computed by the server, so clock skew does not matter.
 * <p>
 * <b>PostgreSQL</b>: one statement. The sessions of the current database that wait on a lock
 * ({@code wait_event_type = 'Lock'}; {@code pg_blocking_pids} is called for those only, as it takes the lock manager's
 * locks) with the sessions blocking them, wherever those are. A blocked session's wait is {@code now() - query_start}: the
 * statement that waits began then, and {@code pg_stat_activity} has no time the wait itself began ({@code pg_locks.waitstart},
 * PostgreSQL 14+, would need a second look at the lock table per sample); it is at most a little longer than the wait. A
 * blocker holds for {@code now() - xact_start}: a lock is held until its transaction ends. Deadlocks are
 * {@code pg_stat_database.deadlocks} of the current database.
 * <p>
 * <b>MariaDB</b>: the lock waits of {@code information_schema.innodb_lock_waits} whose waiting session's current
 * database is the watched one, joined to {@code innodb_trx} and {@code processlist}; the wait starts at
 * {@code trx_wait_started} (whole seconds), the hold at {@code trx_started}. Without the {@code PROCESS} privilege those
 * views cannot be read: the snapshot is then unavailable with the server's reason, because an empty tree would claim that
 * no one waits. Deadlocks are the server-wide {@code Innodb_deadlocks} status counter, the same for every database of the
 * server. InnoDB serves those views from a cache it refreshes only when nobody has read it for 0.1 s: on a sampling
 * interval of seconds the rows are at most that old, but a client polling them faster (anyone's) keeps them stale.
 * <b>H2</b> has no view of lock waits: unavailable.
 */
public final class BlockingReader {

    /** Characters of an application name kept. */
    public static final int MAX_APPLICATION = 128;
    /** Rows read per sample, as a multiple of the sessions listed: the rest are counted by the server, not read. */
    static final int ROWS_PER_LISTED = 4;

    private static final String PG = """
            WITH waiting AS (
                SELECT pid, pg_blocking_pids(pid) AS blockers
                  FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
            ), blocked AS (
                SELECT pid, blockers FROM waiting WHERE cardinality(blockers) > 0
            ), involved AS (
                SELECT pid FROM blocked UNION SELECT unnest(blockers) FROM blocked
            ), summary AS (
                SELECT (SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()) AS deadlocks,
                       (SELECT count(*) FROM blocked) AS blocked,
                       (SELECT extract(epoch FROM max(now() - a.query_start)) FROM blocked b JOIN pg_stat_activity a ON a.pid = b.pid) AS longest
            )
            SELECT s.deadlocks, s.blocked, s.longest, r.pid, r.application, r.usename, r.state, r.waited, r.held, r.query, r.blockers
              FROM summary s LEFT JOIN LATERAL (
                SELECT a.pid, left(coalesce(a.application_name, ''), %d) AS application, coalesce(a.usename::text, '') AS usename,
                       coalesce(a.state, '') AS state,
                       CASE WHEN b.pid IS NOT NULL THEN extract(epoch FROM now() - a.query_start) END AS waited,
                       extract(epoch FROM now() - a.xact_start) AS held,
                       left(a.query, %d) AS query, b.blockers
                  FROM involved i JOIN pg_stat_activity a ON a.pid = i.pid LEFT JOIN blocked b ON b.pid = a.pid
                 ORDER BY (b.pid IS NULL) DESC, a.pid
                 LIMIT ?) r ON true"""
            .formatted(MAX_APPLICATION, MaskedSql.MAX_INPUT);

    private static final String MARIADB_FROM = """
             FROM information_schema.innodb_lock_waits w
             JOIN information_schema.innodb_trx r ON r.trx_id = w.requesting_trx_id
             JOIN information_schema.innodb_trx b ON b.trx_id = w.blocking_trx_id
             JOIN information_schema.processlist q ON q.id = r.trx_mysql_thread_id
            WHERE q.db = DATABASE()""";
    private static final String MARIADB_SUMMARY = "SELECT COUNT(DISTINCT r.trx_id), "
            + "MAX(TIMESTAMPDIFF(MICROSECOND, r.trx_wait_started, NOW(6))) / 1000000" + MARIADB_FROM;
    private static final String MARIADB_EDGES = "SELECT r.trx_mysql_thread_id, b.trx_mysql_thread_id" + MARIADB_FROM
            + " ORDER BY r.trx_mysql_thread_id, b.trx_started, b.trx_mysql_thread_id LIMIT ?";
    private static final String MARIADB_SESSIONS = """
            SELECT t.trx_mysql_thread_id, COALESCE(p.user, ''), COALESCE(p.host, ''), LOWER(COALESCE(p.command, '')), t.trx_state,
                   TIMESTAMPDIFF(MICROSECOND, t.trx_wait_started, NOW(6)) / 1000000,
                   TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)) / 1000000,
                   LEFT(COALESCE(p.info, t.trx_query, ''), %d)
              FROM information_schema.innodb_trx t LEFT JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id
             WHERE t.trx_mysql_thread_id IN (%%s)"""
            .formatted(MaskedSql.MAX_INPUT);
    private static final String MARIADB_DEADLOCKS = "SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'";

    private BlockingReader() {
    }

    /** Reads who blocks whom; an unreadable view gives an unavailable snapshot with the reason. */
    public static BlockingSnapshot read(Connection connection, DatabaseKind kind, String database, Instant now,
            int maxSessions) {
        try {
            return switch (kind) {
                case POSTGRESQL -> postgres(connection, database, now, maxSessions);
                case MARIADB -> mariadb(connection, database, now, maxSessions);
                case H2 -> unavailable(database, now, "H2 has no view of which session waits on which");
            };
        } catch (SQLException e) {
            return unavailable(database, now,
                    (e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ") + e.getMessage());
        }
    }

    /** A snapshot saying the views could not be read, and why. */
    public static BlockingSnapshot unavailable(String database, Instant now, String reason) {
        return new BlockingSnapshot(database, now, false, Optional.of(reason), List.of(), 0, Optional.empty(),
                OptionalLong.empty(), false);
    }

    private static BlockingSnapshot postgres(Connection c, String database, Instant now, int maxSessions) throws SQLException {
        int rowLimit = rowLimit(maxSessions);
        List<BlockingTree.Row> rows = new ArrayList<>();
        OptionalLong deadlocks = OptionalLong.empty();
        int blocked = 0;
        Optional<Duration> longest = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement(PG)) {
            ps.setInt(1, rowLimit);
            try (ResultSet rs = ps.executeQuery()) {
                boolean first = true;
                while (rs.next()) {
                    // The summary is repeated on every row (one row of it alone when no one waits): read once.
                    if (first) {
                        first = false;
                        long d = rs.getLong(1);
                        deadlocks = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(d);
                        blocked = rs.getInt(2);
                        longest = seconds(rs, 3);
                    }
                    long pid = rs.getLong(4);
                    if (rs.wasNull()) {
                        continue; // the summary alone: no one is blocked
                    }
                    List<Long> blockers = new ArrayList<>();
                    Array array = rs.getArray(11);
                    if (array != null) {
                        for (Object o : (Object[]) array.getArray()) {
                            blockers.add(((Number) o).longValue());
                        }
                        array.free();
                    }
                    rows.add(new BlockingTree.Row(pid, rs.getString(5), rs.getString(6), rs.getString(7), seconds(rs, 8),
                            seconds(rs, 9),
                            MaskedSql.mask(rs.getString(10), DatabaseKind.POSTGRESQL), blockers));
                }
            }
        }
        BlockingTree.Forest forest = BlockingTree.build(rows, maxSessions);
        return new BlockingSnapshot(database, now, true, Optional.empty(), forest.roots(), blocked,
                blocked == 0 ? Optional.empty() : longest,
                deadlocks, forest.truncated() || rows.size() >= rowLimit);
    }

    private static BlockingSnapshot mariadb(Connection c, String database, Instant now, int maxSessions) throws SQLException {
        int rowLimit = rowLimit(maxSessions);
        OptionalLong deadlocks = OptionalLong.empty();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(MARIADB_DEADLOCKS)) {
            if (rs.next()) {
                deadlocks = OptionalLong.of(rs.getLong(2));
            }
        }
        int blocked;
        Optional<Duration> longest;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(MARIADB_SUMMARY)) {
            rs.next();
            blocked = rs.getInt(1);
            longest = seconds(rs, 2);
        }
        if (blocked == 0) {
            return new BlockingSnapshot(database, now, true, Optional.empty(), List.of(), 0, Optional.empty(), deadlocks,
                    false);
        }
        Map<Long, List<Long>> blockersOf = new LinkedHashMap<>();
        Set<Long> involved = new LinkedHashSet<>();
        int edges = 0;
        try (PreparedStatement ps = c.prepareStatement(MARIADB_EDGES)) {
            ps.setInt(1, rowLimit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    edges++;
                    long waiter = rs.getLong(1);
                    long blocker = rs.getLong(2);
                    List<Long> list = blockersOf.computeIfAbsent(waiter, k -> new ArrayList<>());
                    if (!list.contains(blocker)) {
                        list.add(blocker);
                    }
                    involved.add(waiter);
                    involved.add(blocker);
                }
            }
        }
        List<BlockingTree.Row> rows = new ArrayList<>();
        if (!involved.isEmpty()) {
            // The ids are numbers the server just returned, so writing them into the statement injects nothing.
            StringJoiner ids = new StringJoiner(",");
            involved.forEach(id -> ids.add(Long.toString(id)));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(MARIADB_SESSIONS.formatted(ids))) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String user = rs.getString(2);
                    String host = rs.getString(3);
                    String application = cut(user + "@" + host.replaceFirst(":\\d+$", ""), MAX_APPLICATION);
                    boolean waits = blockersOf.containsKey(id);
                    rows.add(new BlockingTree.Row(id, application, user, rs.getString(4),
                            waits ? seconds(rs, 6) : Optional.empty(),
                            seconds(rs, 7), MaskedSql.mask(rs.getString(8), DatabaseKind.MARIADB),
                            blockersOf.getOrDefault(id, List.of())));
                }
            }
        }
        BlockingTree.Forest forest = BlockingTree.build(rows, maxSessions);
        return new BlockingSnapshot(database, now, true, Optional.empty(), forest.roots(), blocked, longest, deadlocks,
                forest.truncated() || edges >= rowLimit);
    }

    private static int rowLimit(int maxSessions) {
        return Math.max(1, maxSessions) * ROWS_PER_LISTED;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static Optional<Duration> seconds(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        if (rs.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.max(0, Math.round(value * 1000))));
    }
}
