package io.poolwatch.observed;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What one database server's session views say about one application poolwatch does not own, on one database.
 *
 * @param application the definition's name ({@code poolwatch.applications."<name>"})
 * @param database the watched database's label (as {@code ServerSnapshot#database}), never holding credentials
 * @param takenAt when the views were read
 * @param available false when the views could not be read; then {@code unavailableReason} says why and the figures are 0
 * @param unavailableReason why not, if so
 * @param sessions the application's sessions on the database
 * @param sessionsByState its sessions by state (PostgreSQL: active, idle, idle in transaction, idle in transaction
 *        (aborted); MariaDB: the processlist command, lower-case)
 * @param instances distinct client addresses (a socket connection counts as one address, {@code local})
 * @param idleInTransaction sessions idle inside an open transaction
 * @param oldestIdleInTransaction how long the oldest of those has been idle, if any
 * @param longestTransaction age of its oldest open transaction, if any
 * @param longestStatement age of its longest-running statement, if any
 * @param waitingOnLock sessions waiting on a lock
 * @param expectedMax the sessions it may open ({@code expected-max}), if set
 * @param user the user the definition matches ({@code user}), or {@code any}
 */
public record ApplicationSnapshot(
        String application,
        String database,
        Instant takenAt,
        boolean available,
        Optional<String> unavailableReason,
        int sessions,
        Map<String, Integer> sessionsByState,
        int instances,
        int idleInTransaction,
        Optional<Duration> oldestIdleInTransaction,
        Optional<Duration> longestTransaction,
        Optional<Duration> longestStatement,
        int waitingOnLock,
        OptionalInt expectedMax,
        String user) {

    public ApplicationSnapshot {
        sessionsByState = Map.copyOf(sessionsByState);
    }

    /** Sessions / expected-max; empty without expected-max or when the views could not be read. */
    public OptionalDouble utilization() {
        if (!available || expectedMax.isEmpty() || expectedMax.getAsInt() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((double) sessions / expectedMax.getAsInt());
    }
}
