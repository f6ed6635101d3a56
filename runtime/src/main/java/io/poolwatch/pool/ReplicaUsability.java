package io.poolwatch.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Whether a replica takes reads right now, and if not, why. */
public enum ReplicaUsability {

    /** Takes reads. */
    USABLE,
    /** Weight 0: out of routing by configuration; its pool stays open and watched. */
    DRAINED,
    /** No validation has ended yet. */
    PENDING,
    /** Its database does not answer its validation. */
    UNREACHABLE,
    /** Handing out a connection failed after its last successful validation; the next one re-admits it. */
    FAILED,
    /** Its replay lag is over the workload's max-lag, or it has stopped replicating. */
    LAGGING,
    /** Every connection of its pool is leased and callers are waiting. */
    EXHAUSTED,
    /**
     * Its server takes writes: it was promoted, and is no longer a copy of the workload's primary (after a failover, the
     * primary itself; in a split brain, a server the primary's writes never reach). Its pool stays open and watched.
     */
    PROMOTED;

    /** The name in the API and the metrics' reason label: usable, unreachable ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether being in this state counts as a skip (weight 0 is a choice, not a skip). */
    public boolean skip() {
        return this != USABLE && this != DRAINED;
    }

    /**
     * Judges one replica. Pure: every input is passed in.
     *
     * @param weight its routing weight
     * @param condition its database's latest validation and replay lag
     * @param maxLag the workload's bound on lag; empty: no bound
     * @param lastFailure when handing out one of its connections last failed, if ever
     * @param leased its pool's connections leased now
     * @param maxSize its pool's max-size
     * @param awaiting callers waiting for one of its connections now
     */
    public static ReplicaUsability judge(int weight, ReplicaCondition condition, Optional<Duration> maxLag,
            Optional<Instant> lastFailure,
            long leased, int maxSize, long awaiting) {
        if (weight <= 0) {
            return DRAINED;
        }
        switch (condition.reachability()) {
            case PENDING:
                return PENDING;
            case DOWN:
                return UNREACHABLE;
            default:
                break;
        }
        if (lastFailure.isPresent()
                && (condition.lastValidated().isEmpty() || lastFailure.get().isAfter(condition.lastValidated().get()))) {
            return FAILED;
        }
        if (maxLag.isPresent()) {
            double bound = maxLag.get().toNanos() / 1e9;
            // A lag that cannot be read (not permitted, not a replica) does not take a replica out; a stopped one does.
            if (condition.lagSeconds().map(s -> s > bound).orElse(condition.replicationStopped())) {
                return LAGGING;
            }
        }
        if (leased >= maxSize && awaiting > 0) {
            return EXHAUSTED;
        }
        return USABLE;
    }
}
