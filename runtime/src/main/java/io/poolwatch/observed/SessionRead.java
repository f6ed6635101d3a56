package io.poolwatch.observed;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.poolwatch.engine.ObservedSession;

/**
 * One read of a database server's sessions for the applications' view.
 *
 * @param database the watched database's label
 * @param takenAt when it was read
 * @param available false when the views could not be read; then {@code unavailableReason} says why
 * @param unavailableReason why not, if so
 * @param sessions the sessions read, at most the reader's limit
 * @param omitted sessions beyond the limit, counted but not read
 * @param applicationNames whether the server reports application names (not MariaDB without performance_schema)
 */
public record SessionRead(String database, Instant takenAt, boolean available, Optional<String> unavailableReason,
        List<ObservedSession> sessions, int omitted, boolean applicationNames) {

    public SessionRead {
        sessions = List.copyOf(sessions);
    }

    /** A read that failed, with the reason. */
    public static SessionRead unavailable(String database, Instant takenAt, String reason) {
        return new SessionRead(database, takenAt, false, Optional.of(reason), List.of(), 0, false);
    }
}
