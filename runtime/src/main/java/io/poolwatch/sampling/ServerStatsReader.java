package io.poolwatch.sampling;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.poolwatch.config.DatabaseKind;

/**
 * Reads what a database server says about its sessions over one connection: PostgreSQL's pg_stat_activity,
 * MariaDB's processlist and innodb_trx, H2's INFORMATION_SCHEMA.SESSIONS. A view that cannot be read gives an
 * unavailable snapshot with the reason, never an exception. Ages are computed by the server, so clock skew
 * between poolwatch and the server does not matter.
 */
public final class ServerStatsReader {

    private static final String PG_SUMMARY = """
            SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),
                   current_setting('max_connections')::int,
                   (SELECT coalesce(sum(setting::int), 0) FROM pg_settings
                     WHERE name IN ('superuser_reserved_connections', 'reserved_connections')),
                   (SELECT extract(epoch FROM max(now() - state_change)) FROM pg_stat_activity
                     WHERE state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()),
                   (SELECT extract(epoch FROM max(now() - query_start)) FROM pg_stat_activity
                     WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()),
                   (SELECT extract(epoch FROM max(now() - xact_start)) FROM pg_stat_activity
                     WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())""";
    private static final String PG_GROUPS = """
            SELECT coalesce(application_name, ''), coalesce(state, 'unknown'), count(*), extract(epoch FROM max(now() - state_change))
              FROM pg_stat_activity
             WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
             GROUP BY 1, 2 ORDER BY 1, 2""";
    private static final String MARIADB_SUMMARY = """
            SELECT (SELECT COUNT(*) FROM information_schema.processlist WHERE command NOT IN ('Daemon', 'Binlog Dump')
                       AND user NOT IN ('system user', 'event_scheduler')),
                   @@max_connections,
                   (SELECT MAX(time_ms) / 1000 FROM information_schema.processlist WHERE command = 'Query' AND id <> CONNECTION_ID())""";
    private static final String MARIADB_GROUPS = """
            SELECT user, LOWER(command), COUNT(*), MAX(time_ms) / 1000 FROM information_schema.processlist
             WHERE db = DATABASE() AND id <> CONNECTION_ID() AND command NOT IN ('Daemon', 'Binlog Dump')
             GROUP BY user, LOWER(command) ORDER BY 1, 2""";
    private static final String MARIADB_TRANSACTIONS = """
            SELECT MAX(TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6))) / 1000000,
                   MAX(CASE WHEN p.command = 'Sleep' THEN TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)) END) / 1000000
              FROM information_schema.innodb_trx t LEFT JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id
             WHERE t.trx_mysql_thread_id <> CONNECTION_ID()""";
    /**
     * Each session's state and statement age worked out first, then grouped by name: H2 refuses to group by the
     * ordinal of a CASE over EXECUTING_STATEMENT ("must be in the GROUP BY list") once one user's sessions are both
     * idle and running a statement, which the demo's are on nearly every sample.
     */
    private static final String H2_GROUPS = """
            SELECT USER_NAME, STATE, COUNT(*), MAX(AGE_MS) / 1000.0
              FROM (SELECT USER_NAME,
                           CASE WHEN EXECUTING_STATEMENT IS NULL THEN 'idle' ELSE 'active' END AS STATE,
                           CASE WHEN EXECUTING_STATEMENT IS NULL THEN NULL
                                ELSE DATEDIFF(MILLISECOND, EXECUTING_STATEMENT_START, CURRENT_TIMESTAMP) END AS AGE_MS
                      FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()) S
             GROUP BY USER_NAME, STATE ORDER BY USER_NAME, STATE""";

    private ServerStatsReader() {
    }

    /** Reads the server's session views; an unreadable view gives {@link ServerSnapshot#unavailable}. */
    public static ServerSnapshot read(Connection connection, DatabaseKind kind, String database, Instant now) {
        try {
            return switch (kind) {
                case POSTGRESQL -> postgres(connection, database, now);
                case MARIADB -> mariadb(connection, database, now);
                case H2 -> h2(connection, database, now);
            };
        } catch (SQLException e) {
            return ServerSnapshot.unavailable(database, kind, now,
                    (e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ") + e.getMessage());
        }
    }

    private static ServerSnapshot postgres(Connection c, String database, Instant now) throws SQLException {
        try (Statement st = c.createStatement()) {
            int total;
            int max;
            int reserved;
            Optional<Duration> idleInTx;
            Optional<Duration> longestStatement;
            Optional<Duration> longestTx;
            try (ResultSet rs = st.executeQuery(PG_SUMMARY)) {
                rs.next();
                total = rs.getInt(1);
                max = rs.getInt(2);
                reserved = rs.getInt(3);
                idleInTx = seconds(rs, 4);
                longestStatement = seconds(rs, 5);
                longestTx = seconds(rs, 6);
            }
            Groups groups = groups(st, PG_GROUPS);
            return new ServerSnapshot(database, DatabaseKind.POSTGRESQL, now, true, Optional.empty(), total, groups.byState,
                    groups.list,
                    OptionalInt.of(max), reserved, idleInTx, longestStatement, longestTx);
        }
    }

    private static ServerSnapshot mariadb(Connection c, String database, Instant now) throws SQLException {
        try (Statement st = c.createStatement()) {
            int total;
            int max;
            Optional<Duration> longestStatement;
            try (ResultSet rs = st.executeQuery(MARIADB_SUMMARY)) {
                rs.next();
                total = rs.getInt(1);
                max = rs.getInt(2);
                longestStatement = seconds(rs, 3);
            }
            Groups groups = groups(st, MARIADB_GROUPS);
            Optional<Duration> longestTx = Optional.empty();
            Optional<Duration> idleInTx = Optional.empty();
            try (ResultSet rs = st.executeQuery(MARIADB_TRANSACTIONS)) {
                rs.next();
                longestTx = seconds(rs, 1);
                idleInTx = seconds(rs, 2);
            } catch (SQLException e) {
                // innodb_trx needs the PROCESS privilege; without it the transaction ages stay unknown.
            }
            return new ServerSnapshot(database, DatabaseKind.MARIADB, now, true, Optional.empty(), total, groups.byState,
                    groups.list,
                    OptionalInt.of(max), 0, idleInTx, longestStatement, longestTx);
        }
    }

    private static ServerSnapshot h2(Connection c, String database, Instant now) throws SQLException {
        try (Statement st = c.createStatement()) {
            Groups groups = groups(st, H2_GROUPS);
            int total = groups.list.stream().mapToInt(ServerSnapshot.SessionGroup::count).sum() + 1;
            Optional<Duration> longest = groups.list.stream().filter(g -> g.state().equals("active"))
                    .map(ServerSnapshot.SessionGroup::oldestStateAge).flatMap(Optional::stream).max(Duration::compareTo);
            return new ServerSnapshot(database, DatabaseKind.H2, now, true, Optional.empty(), total, groups.byState,
                    groups.list,
                    OptionalInt.empty(), 0, Optional.empty(), longest, Optional.empty());
        }
    }

    private record Groups(Map<String, Integer> byState, List<ServerSnapshot.SessionGroup> list) {
    }

    private static Groups groups(Statement st, String sql) throws SQLException {
        Map<String, Integer> byState = new LinkedHashMap<>();
        List<ServerSnapshot.SessionGroup> list = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String state = rs.getString(2);
                int count = rs.getInt(3);
                byState.merge(state, count, Integer::sum);
                list.add(new ServerSnapshot.SessionGroup(rs.getString(1), state, count, seconds(rs, 4)));
            }
        }
        return new Groups(byState, list);
    }

    private static Optional<Duration> seconds(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        if (rs.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.max(0, Math.round(value * 1000))));
    }
}
