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
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.poolwatch.engine.DatabaseKind;

/**
 * Reads every client session of one database from the server's own views, in one query, for matching to applications:
 * PostgreSQL's {@code pg_stat_activity}; MariaDB's {@code information_schema.processlist} with {@code innodb_trx} (where
 * the PROCESS privilege lets it) and, where performance_schema is on, the {@code program_name} connection attribute.
 * Ages are computed by the server. At most {@code limit} sessions are read; the rest are counted. poolwatch's own
 * session and the sessions of its own pools (by application name) are left out. A view that cannot be read gives an
 * unavailable read with the reason, never an exception.
 */
public final class ApplicationSessionReader {

    /** The most sessions read per database and sample; the rest are counted as omitted. */
    public static final int DEFAULT_LIMIT = 5_000;
    /** The monitoring connection's own application name: another replica of poolwatch watching the same database. */
    static final String MONITOR_APPLICATION_NAME = "poolwatch-monitor";

    private static final String PG = """
            SELECT coalesce(application_name, ''), coalesce(usename, ''), coalesce(host(client_addr), 'local'),
                   coalesce(state, 'unknown'),
                   extract(epoch FROM now() - state_change),
                   extract(epoch FROM now() - xact_start),
                   CASE WHEN state = 'active' THEN extract(epoch FROM now() - query_start) END,
                   coalesce(wait_event_type = 'Lock', false),
                   count(*) OVER ()
              FROM pg_stat_activity
             WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
               AND NOT (coalesce(application_name, '') = ANY (?))
             ORDER BY backend_start
             LIMIT ?""";
    /** The processlist columns, then the transaction's (null without innodb_trx), then the program name ('' without it). */
    private static final String MARIADB = """
            SELECT %s, p.user, p.host, LOWER(p.command), p.time_ms / 1000,
                   %s, CASE WHEN p.command = 'Query' THEN p.time_ms / 1000 END, %s, COUNT(*) OVER ()
              FROM information_schema.processlist p %s %s
             WHERE p.db = DATABASE() AND p.id <> CONNECTION_ID() AND p.command NOT IN ('Daemon', 'Binlog Dump')
               AND p.user NOT IN ('system user', 'event_scheduler') %s
             ORDER BY p.id
             LIMIT ?""";
    private static final String TRX_JOIN = "LEFT JOIN information_schema.innodb_trx t ON t.trx_mysql_thread_id = p.id";
    private static final String ATTR_JOIN = "LEFT JOIN performance_schema.session_connect_attrs a "
            + "ON a.processlist_id = p.id AND a.attr_name = 'program_name'";

    private ApplicationSessionReader() {
    }

    /**
     * Reads the sessions of the database {@code connection} is on.
     *
     * @param ownApplicationNames the application names of poolwatch's own pools on it, left out
     */
    public static SessionRead read(Connection connection, DatabaseKind kind, String database, Instant now,
            Collection<String> ownApplicationNames, int limit) {
        try {
            return switch (kind) {
                case POSTGRESQL -> postgres(connection, database, now, ownApplicationNames, limit);
                case MARIADB -> mariadb(connection, database, now, ownApplicationNames, limit);
                case H2 -> SessionRead.unavailable(database, now,
                        "H2 reports no application names, users' addresses or transaction ages "
                                + "of its sessions; applications are watched on PostgreSQL and MariaDB");
            };
        } catch (SQLException e) {
            return SessionRead.unavailable(database, now,
                    (e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ") + e.getMessage());
        }
    }

    private static SessionRead postgres(Connection c, String database, Instant now, Collection<String> own, int limit)
            throws SQLException {
        List<String> excluded = new ArrayList<>(own);
        excluded.add(MONITOR_APPLICATION_NAME);
        List<ObservedSession> sessions = new ArrayList<>();
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement(PG)) {
            Array names = c.createArrayOf("text", excluded.toArray());
            ps.setArray(1, names);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString(4);
                    sessions.add(new ObservedSession(rs.getString(1), rs.getString(2), rs.getString(3), state,
                            state.startsWith("idle in transaction"), seconds(rs, 5), seconds(rs, 6), seconds(rs, 7),
                            rs.getBoolean(8)));
                    total = rs.getInt(9);
                }
            } finally {
                names.free();
            }
        }
        return new SessionRead(database, now, true, Optional.empty(), sessions, Math.max(0, total - sessions.size()), true);
    }

    private static SessionRead mariadb(Connection c, String database, Instant now, Collection<String> own, int limit)
            throws SQLException {
        boolean performanceSchema = false;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@performance_schema")) {
            performanceSchema = rs.next() && rs.getInt(1) == 1;
        }
        // innodb_trx needs the PROCESS privilege and performance_schema a grant of its own: without one, the other
        // still counts; without both, what the processlist alone says (transaction ages and lock waits unknown).
        if (performanceSchema) {
            try {
                return mariadb(c, database, now, own, limit, true, true);
            } catch (SQLException e) {
                // fall through: without the application names
            }
        }
        try {
            return mariadb(c, database, now, own, limit, false, true);
        } catch (SQLException e) {
            return mariadb(c, database, now, own, limit, false, false);
        }
    }

    private static SessionRead mariadb(Connection c, String database, Instant now, Collection<String> own, int limit,
            boolean performanceSchema, boolean transactions) throws SQLException {
        String program = performanceSchema ? "COALESCE(a.attr_value, '')" : "''";
        String excludeOwn = "";
        List<String> excluded = new ArrayList<>(own);
        excluded.add(MONITOR_APPLICATION_NAME);
        if (performanceSchema) {
            excludeOwn = "AND COALESCE(a.attr_value, '') NOT IN (" + String.join(", ", excluded.stream().map(n -> "?").toList())
                    + ")";
        }
        String sql = MARIADB.formatted(program,
                transactions ? "TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)) / 1000000" : "NULL",
                transactions ? "COALESCE(t.trx_state = 'LOCK WAIT', 0)" : "0",
                transactions ? TRX_JOIN : "", performanceSchema ? ATTR_JOIN : "", excludeOwn);
        List<ObservedSession> sessions = new ArrayList<>();
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (performanceSchema) {
                for (String name : excluded) {
                    ps.setString(i++, name);
                }
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String command = rs.getString(4);
                    Optional<Duration> trx = seconds(rs, 6);
                    boolean idleInTx = command.equals("sleep") && trx.isPresent();
                    sessions.add(
                            new ObservedSession(rs.getString(1), rs.getString(2), hostOf(rs.getString(3)), command, idleInTx,
                                    seconds(rs, 5), trx, seconds(rs, 7), rs.getInt(8) == 1));
                    total = rs.getInt(9);
                }
            }
        }
        return new SessionRead(database, now, true, Optional.empty(), sessions, Math.max(0, total - sessions.size()),
                performanceSchema);
    }

    /**
     * The client address of a processlist host: without its port ({@code 10.1.2.3:51234}, {@code [::1]:51234}); a host
     * without a port ({@code localhost}) came through the socket.
     */
    static String hostOf(String host) {
        if (host == null || host.isEmpty()) {
            return ObservedSession.LOCAL;
        }
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(1, end) : host;
        }
        int colon = host.lastIndexOf(':');
        if (colon < 0) {
            return ObservedSession.LOCAL;
        }
        if (host.indexOf(':') != colon) {
            // An IPv6 address without brackets: the last part is the port only if what is left is still an address.
            String head = host.substring(0, colon);
            return ClientNetwork.literal(head).isPresent() ? head : host;
        }
        return host.substring(0, colon);
    }

    private static Optional<Duration> seconds(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        if (rs.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.max(0, Math.round(value * 1000))));
    }
}
