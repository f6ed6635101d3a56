package io.poolwatch.sampling;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.ReplicaLag;

/**
 * Reads replication lag: a replica's own view of it (its engine's dialect reads it), and a PostgreSQL primary's view of its
 * standbys.
 */
public final class ReplicaLagReader {

    /** On a primary: its standbys. Without pg_read_all_stats (or superuser) every column but a few is null. */
    static final String POSTGRES_STANDBYS = """
            SELECT application_name, client_addr::text AS client_addr, state, sync_state,
                   EXTRACT(EPOCH FROM replay_lag)::float8 AS replay_lag,
                   CASE WHEN replay_lsn IS NOT NULL THEN pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint END AS replay_bytes
            FROM pg_stat_replication ORDER BY application_name, client_addr
            """;

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
        return kind.dialect().replicaLag(c, database, now);
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

}
