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

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.Dialect;

/**
 * Reads what a database server says about its sessions over one connection: PostgreSQL's pg_stat_activity,
 * MariaDB's processlist and innodb_trx, H2's INFORMATION_SCHEMA.SESSIONS. A view that cannot be read gives an
 * unavailable snapshot with the reason, never an exception. Ages are computed by the server, so clock skew
 * between poolwatch and the server does not matter.
 */
public final class ServerStatsReader {

    private ServerStatsReader() {
    }

    /** Reads the server's session views; an unreadable view gives {@link ServerSnapshot#unavailable}. */
    public static ServerSnapshot read(Connection connection, DatabaseKind kind, String database, Instant now) {
        try {
            return read(connection, kind, kind.dialect().serverViews(), database, now);
        } catch (SQLException e) {
            return ServerSnapshot.unavailable(database, kind, now,
                    (e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ") + e.getMessage());
        }
    }

    private static ServerSnapshot read(Connection c, DatabaseKind kind, Dialect.ServerViews views, String database,
            Instant now) throws SQLException {
        try (Statement st = c.createStatement()) {
            Groups groups = groups(st, views.sessionGroups());
            if (views.summary().isEmpty()) {
                // No server-wide view: this database's sessions, and this one.
                int total = groups.list.stream().mapToInt(ServerSnapshot.SessionGroup::count).sum() + 1;
                Optional<Duration> longest = groups.list.stream().filter(g -> g.state().equals("active"))
                        .map(ServerSnapshot.SessionGroup::oldestStateAge).flatMap(Optional::stream).max(Duration::compareTo);
                return new ServerSnapshot(database, kind, now, true, Optional.empty(), total, groups.byState, groups.list,
                        OptionalInt.empty(), 0, Optional.empty(), longest, Optional.empty());
            }
            int total;
            int max;
            int reserved;
            Optional<Duration> idleInTx;
            Optional<Duration> longestStatement;
            Optional<Duration> longestTx;
            try (ResultSet rs = st.executeQuery(views.summary().get())) {
                rs.next();
                total = rs.getInt(1);
                max = rs.getInt(2);
                reserved = rs.getInt(3);
                idleInTx = Dialect.seconds(rs, 4);
                longestStatement = Dialect.seconds(rs, 5);
                longestTx = Dialect.seconds(rs, 6);
            }
            if (views.transactions().isPresent()) {
                try (ResultSet rs = st.executeQuery(views.transactions().get())) {
                    rs.next();
                    longestTx = Dialect.seconds(rs, 1);
                    idleInTx = Dialect.seconds(rs, 2);
                } catch (SQLException e) {
                    // The view may need a privilege the monitor lacks (innodb_trx, PROCESS): the ages stay unknown.
                }
            }
            return new ServerSnapshot(database, kind, now, true, Optional.empty(), total, groups.byState, groups.list,
                    OptionalInt.of(max), reserved, idleInTx, longestStatement, longestTx);
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
                list.add(new ServerSnapshot.SessionGroup(rs.getString(1), state, count, Dialect.seconds(rs, 4)));
            }
        }
        return new Groups(byState, list);
    }
}
