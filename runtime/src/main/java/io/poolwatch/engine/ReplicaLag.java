package io.poolwatch.engine;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * How far one replica's database is behind its primary, as the replica itself reported it. PostgreSQL: replay lag in
 * seconds (now less the commit time of the last replayed transaction, 0 when everything received is replayed) and in
 * bytes (WAL received but not replayed). MariaDB/MySQL: {@code Seconds_Behind_Master}; no bytes.
 *
 * @param database the replica's database, {@code host:port/name}
 * @param readAt when it was read
 * @param state what the replica is doing
 * @param seconds replay lag in seconds, when the replica reports one
 * @param bytes WAL received but not replayed, PostgreSQL only
 * @param detail the state in words, with the error when the lag could not be read
 */
public record ReplicaLag(String database, Instant readAt, State state, Optional<Double> seconds, Optional<Long> bytes,
        String detail) {

    /** What a replica is doing. */
    public enum State {
        /** Receiving and replaying. */
        STREAMING,
        /** PostgreSQL: replay paused (pg_wal_replay_pause); WAL is still received. */
        PAUSED,
        /** In recovery but not receiving (PostgreSQL without a WAL receiver; MariaDB's I/O thread not running). */
        NOT_STREAMING,
        /** MariaDB/MySQL: the SQL thread is not running, so nothing is applied. */
        STOPPED,
        /** The database is not a replica (a primary, or a promoted replica): it has no lag. */
        NOT_A_REPLICA,
        /** The lag could not be read: not permitted, or an engine without replication. */
        UNKNOWN,
        /** The database did not answer. */
        UNREACHABLE;

        /** The API name: streaming, paused, not-streaming ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Whether replication is known not to be applying anything, so the lag has no bound. */
    public boolean replicationStopped() {
        return state == State.STOPPED || (state == State.NOT_STREAMING && seconds.isEmpty());
    }

    public static ReplicaLag unknown(String database, Instant at, State state, String detail) {
        return new ReplicaLag(database, at, state, Optional.empty(), Optional.empty(), detail);
    }
}
