package io.poolwatch.pool;

import java.time.Instant;
import java.util.Optional;

/**
 * What the health side knows about one replica's database: whether it answers its background validation, and how far
 * its replay is behind. Read from cached results; producing one never touches a database.
 *
 * @param reachability whether the last validation succeeded
 * @param lastValidated when a validation last succeeded, if ever
 * @param lagSeconds replay lag in seconds, when known
 * @param lagBytes WAL received but not replayed, in bytes, when known
 * @param replicationStopped true when the replica says it is not replicating at all (its lag has no bound)
 * @param detail the reason behind the values, for people (an error, "replay paused", "not permitted" ...)
 */
public record ReplicaCondition(Reachability reachability, Optional<Instant> lastValidated, Optional<Double> lagSeconds,
        Optional<Long> lagBytes, boolean replicationStopped, String detail) {

    /** Whether a replica's database answers. */
    public enum Reachability {
        /** No validation has ended yet: not routed to until one succeeds. */
        PENDING,
        /** The last validation succeeded in time. */
        UP,
        /** The last validation failed or did not answer in time. */
        DOWN
    }

    /** A replica not validated yet. */
    public static ReplicaCondition pending() {
        return new ReplicaCondition(Reachability.PENDING, Optional.empty(), Optional.empty(), Optional.empty(), false,
                "first validation pending");
    }
}
