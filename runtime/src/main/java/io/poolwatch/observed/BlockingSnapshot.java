package io.poolwatch.observed;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who blocks whom on one watched database, and its deadlocks.
 *
 * @param database the watched database's label
 * @param takenAt when the views were read
 * @param available false when they could not be read; then {@code unavailableReason} says why
 * @param unavailableReason why not, if so
 * @param roots the blocking trees: each root blocks the sessions below it; at most {@code poolwatch.blocking.max-sessions}
 *        sessions in all
 * @param blockedSessions sessions waiting on a lock held by another session (all of them, listed or not)
 * @param longestBlocked how long the longest-waiting blocked session has waited, if any
 * @param deadlocks deadlocks detected in this database since the server's statistics were reset (PostgreSQL
 *        {@code pg_stat_database.deadlocks}); empty where the server does not count them
 * @param truncated whether sessions were left out of {@code roots} to keep it bounded
 */
public record BlockingSnapshot(String database, Instant takenAt, boolean available, Optional<String> unavailableReason,
        List<BlockedSession> roots, int blockedSessions, Optional<Duration> longestBlocked, OptionalLong deadlocks,
        boolean truncated) {

    public BlockingSnapshot {
        roots = List.copyOf(roots);
    }
}
