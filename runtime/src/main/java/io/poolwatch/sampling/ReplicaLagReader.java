package io.poolwatch.sampling;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.poolwatch.engine.DatabaseKind;

/** Reads replication lag: a replica's own view of it, and a PostgreSQL primary's view of its standbys. */
public final class ReplicaLagReader {

    /**
     * On a standby: whether it is one, whether replay is paused, whether a WAL receiver runs, WAL received but not
     * replayed, and seconds since the last replayed commit (0 when all received WAL is replayed, so an idle primary does
     * not look like lag).
     */
    static final String POSTGRES_REPLICA = """
            SELECT pg_is_in_recovery() AS recovery,
                   CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END AS paused,
                   EXISTS (SELECT 1 FROM pg_stat_wal_receiver) AS receiving,
                   pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint AS bytes,
                   CASE WHEN NOT pg_is_in_recovery() THEN NULL
                        WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
                        ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8 END AS seconds
            """;

    /** On a primary: its standbys. Without pg_read_all_stats (or superuser) every column but a few is null. */
    static final String POSTGRES_STANDBYS = """
            SELECT application_name, client_addr::text AS client_addr, state, sync_state,
                   EXTRACT(EPOCH FROM replay_lag)::float8 AS replay_lag,
                   CASE WHEN replay_lsn IS NOT NULL THEN pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint END AS replay_bytes
            FROM pg_stat_replication ORDER BY application_name, client_addr
            """;

    /** MariaDB and MySQL access-denied errors: the lag needs REPLICATION CLIENT (MariaDB 10.5+: SLAVE MONITOR). */
    private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    private static final int ER_ACCESS_DENIED = 1045;

    private ReplicaLagReader() {
    }

    /**
     * One standby as its primary sees it in {@code pg_stat_replication}.
     *
     * @param applicationName the standby's application_name (its cluster_name, or walreceiver)
     * @param clientAddress the address it connects from
     * @param state streaming, catchup ...; null when not permitted
     * @param syncState async, sync, potential, quorum
     * @param replayLagSeconds the primary's measure of replay lag (null once a standby is idle and caught up)
     * @param replayLagBytes WAL written on the primary but not yet replayed on the standby
     */
    public record Standby(String applicationName, String clientAddress, String state, String syncState,
            Optional<Double> replayLagSeconds,
            Optional<Long> replayLagBytes) {
    }

    /**
     * A primary's view of its standbys.
     *
     * @param database the primary's database
     * @param readAt when it was read
     * @param standbys its streaming standbys
     * @param permitted false when the monitoring user may not see the standbys' details (needs pg_read_all_stats)
     * @param error why it could not be read, if it could not
     */
    public record PrimaryView(String database, Instant readAt, List<Standby> standbys, boolean permitted,
            Optional<String> error) {
    }

    /**
     * The lag of a replica's database, read on {@code c}; an error reading it (not a connection error) is reported as unknown.
     */
    public static ReplicaLag replica(Connection c, DatabaseKind kind, String database, Instant now) throws SQLException {
        return switch (kind) {
            case POSTGRESQL -> postgres(c, database, now);
            case MARIADB -> mariadb(c, database, now);
            case H2 -> ReplicaLag.unknown(database, now, ReplicaLag.State.UNKNOWN, "H2 has no replication");
        };
    }

    private static ReplicaLag postgres(Connection c, String database, Instant now) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(POSTGRES_REPLICA)) {
            rs.next();
            if (!rs.getBoolean("recovery")) {
                return new ReplicaLag(database, now, ReplicaLag.State.NOT_A_REPLICA, Optional.of(0.0), Optional.empty(),
                        "not in recovery: this database is a primary (or a promoted replica), so it has no lag");
            }
            boolean paused = rs.getBoolean("paused");
            boolean receiving = rs.getBoolean("receiving");
            long bytes = rs.getLong("bytes");
            Optional<Long> lagBytes = rs.wasNull() ? Optional.empty() : Optional.of(Math.max(0, bytes));
            double seconds = rs.getDouble("seconds");
            Optional<Double> lagSeconds = rs.wasNull() ? Optional.empty() : Optional.of(Math.max(0, seconds));
            ReplicaLag.State state = paused ? ReplicaLag.State.PAUSED
                    : receiving ? ReplicaLag.State.STREAMING : ReplicaLag.State.NOT_STREAMING;
            String detail = switch (state) {
                case PAUSED -> "replay paused (pg_wal_replay_pause): WAL is received but not applied";
                case NOT_STREAMING ->
                    "in recovery without a WAL receiver: the primary is unreachable, or WAL comes from an archive only";
                default -> "streaming";
            };
            if (lagSeconds.isEmpty()) {
                detail += "; no transaction replayed since the standby started, so the lag in seconds is unknown";
            }
            return new ReplicaLag(database, now, state, lagSeconds, lagBytes, detail);
        } catch (SQLException e) {
            if (isConnectionError(e)) {
                throw e;
            }
            return ReplicaLag.unknown(database, now, ReplicaLag.State.UNKNOWN, "cannot read the replay lag: " + e.getMessage());
        }
    }

    private static ReplicaLag mariadb(Connection c, String database, Instant now) throws SQLException {
        List<Map<String, String>> rows;
        try {
            rows = rows(c, "SHOW REPLICA STATUS");
        } catch (SQLException e) {
            if (isConnectionError(e)) {
                throw e;
            }
            if (isAccessDenied(e)) {
                return notPermitted(database, now, e);
            }
            // Servers before MariaDB 10.5.1 and MySQL 8.0.22 know only the older statement.
            try {
                rows = rows(c, "SHOW SLAVE STATUS");
            } catch (SQLException again) {
                if (isConnectionError(again)) {
                    throw again;
                }
                return isAccessDenied(again) ? notPermitted(database, now, again)
                        : ReplicaLag.unknown(database, now, ReplicaLag.State.UNKNOWN,
                                "cannot read the replica status: " + again.getMessage());
            }
        }
        if (rows.isEmpty()) {
            return new ReplicaLag(database, now, ReplicaLag.State.NOT_A_REPLICA, Optional.of(0.0), Optional.empty(),
                    "no replica status: this server does not replicate from a primary, so it has no lag");
        }
        return fromMariadbStatus(rows.get(0), database, now);
    }

    private static ReplicaLag notPermitted(String database, Instant now, SQLException e) {
        return ReplicaLag.unknown(database, now, ReplicaLag.State.UNKNOWN,
                "not permitted to read the replica status (grant REPLICATION "
                        + "CLIENT, or SLAVE MONITOR on MariaDB 10.5 and later, to the monitoring user): " + e.getMessage());
    }

    /** Interprets one row of SHOW REPLICA STATUS / SHOW SLAVE STATUS (MariaDB's or MySQL's column names). */
    public static ReplicaLag fromMariadbStatus(Map<String, String> row, String database, Instant now) {
        Map<String, String> r = new LinkedHashMap<>();
        row.forEach((k, v) -> r.put(k.toLowerCase(Locale.ROOT), v));
        String io = first(r, "slave_io_running", "replica_io_running");
        String sql = first(r, "slave_sql_running", "replica_sql_running");
        String behind = first(r, "seconds_behind_master", "seconds_behind_source");
        Optional<Double> seconds = Optional.empty();
        if (behind != null && !behind.isBlank()) {
            try {
                seconds = Optional.of(Math.max(0, Double.parseDouble(behind.trim())));
            } catch (NumberFormatException e) {
                seconds = Optional.empty();
            }
        }
        if (!"Yes".equalsIgnoreCase(sql)) {
            String error = first(r, "last_sql_error");
            return new ReplicaLag(database, now, ReplicaLag.State.STOPPED, Optional.empty(), Optional.empty(),
                    "the SQL thread is not running (" + (sql == null ? "unknown" : sql) + ")"
                            + (error == null || error.isBlank() ? "" : ": " + error));
        }
        if (!"Yes".equalsIgnoreCase(io)) {
            String error = first(r, "last_io_error");
            return new ReplicaLag(database, now, ReplicaLag.State.NOT_STREAMING, seconds, Optional.empty(),
                    "the I/O thread is not running (" + (io == null ? "unknown" : io) + ")"
                            + (error == null || error.isBlank() ? "" : ": " + error));
        }
        return new ReplicaLag(database, now, ReplicaLag.State.STREAMING, seconds, Optional.empty(),
                seconds.isPresent() ? "streaming" : "streaming; the server reports no Seconds_Behind_Master");
    }

    /** A PostgreSQL primary's standbys, read on {@code c}. */
    public static PrimaryView standbys(Connection c, String database, Instant now) throws SQLException {
        List<Standby> standbys = new ArrayList<>();
        boolean permitted = true;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(POSTGRES_STANDBYS)) {
            while (rs.next()) {
                String state = rs.getString("state");
                permitted &= state != null;
                double lag = rs.getDouble("replay_lag");
                Optional<Double> seconds = rs.wasNull() ? Optional.empty() : Optional.of(lag);
                long bytes = rs.getLong("replay_bytes");
                Optional<Long> behind = rs.wasNull() ? Optional.empty() : Optional.of(Math.max(0, bytes));
                standbys.add(new Standby(rs.getString("application_name"), rs.getString("client_addr"), state,
                        rs.getString("sync_state"),
                        seconds, behind));
            }
        }
        return new PrimaryView(database, now, List.copyOf(standbys), permitted,
                permitted ? Optional.empty()
                        : Optional.of("not permitted to see the standbys' state and positions (grant pg_read_all_stats "
                                + "to the monitoring user)"));
    }

    private static List<Map<String, String>> rows(Connection c, String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String first(Map<String, String> row, String... keys) {
        for (String k : keys) {
            if (row.containsKey(k)) {
                return row.get(k);
            }
        }
        return null;
    }

    private static boolean isAccessDenied(SQLException e) {
        return e.getErrorCode() == ER_SPECIFIC_ACCESS_DENIED || e.getErrorCode() == ER_ACCESS_DENIED
                || "42000".equals(e.getSQLState())
                        && e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("denied");
    }

    /** SQLState class 08 (connection exception) and 57P0x (server shutting down): the database, not the query, failed. */
    static boolean isConnectionError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }
}
