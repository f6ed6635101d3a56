package io.poolwatch.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who waits on whose lock in one database, as its engine reports it: the sessions that wait and those they wait on,
 * with bounded rows.
 *
 * @param deadlocks the engine's deadlock count (per database on PostgreSQL, server-wide on MariaDB), when it has one
 * @param blocked sessions waiting on a lock another session holds, all of them (counted by the server)
 * @param longest the longest wait among them
 * @param sessions the waiting sessions and those they wait on, at most the row limit asked for
 * @param cut whether the row limit was reached, so some were not read
 */
public record LockWaits(OptionalLong deadlocks, int blocked, Optional<Duration> longest, List<Session> sessions,
        boolean cut) {

    public LockWaits {
        sessions = List.copyOf(sessions);
    }

    /**
     * One session in a wait: waiting, holding, or both.
     *
     * @param id the server's id of the session
     * @param application its application name (PostgreSQL) or {@code user@host} (MariaDB), cut to the length asked for
     * @param user the user it is logged in as
     * @param state what it is doing, in the server's words
     * @param waited how long it has waited, when it waits
     * @param held how long its transaction has held its locks
     * @param query its statement's text as the server has it, cut to the length asked for (not masked)
     * @param blockers the ids of the sessions it waits on
     */
    public record Session(long id, String application, String user, String state, Optional<Duration> waited,
            Optional<Duration> held, String query, List<Long> blockers) {

        public Session {
            blockers = List.copyOf(blockers);
        }
    }
}
