package io.poolwatch.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A connection held past the leak-detection interval.
 *
 * @param pool the workload
 * @param connection an identifier of the connection, stable while it lives
 * @param holderThread name of the thread that acquired it
 * @param holderThreadState that thread's state at the last detection
 * @param firstDetected when it was first reported
 * @param lastDetected when it was last reported
 * @param heldAtLeast how long it has been held, at least (the leak interval plus the time since first detection)
 * @param stack the holder's stack at the last detection, innermost frame first
 * @param returnedAt when the connection came back, if it did
 */
public record LeakRecord(String pool, String connection, String holderThread, String holderThreadState, Instant firstDetected,
        Instant lastDetected, Duration heldAtLeast, List<String> stack, Optional<Instant> returnedAt) {

    public LeakRecord {
        stack = List.copyOf(stack);
    }

    /** Whether the connection is still out. */
    public boolean current() {
        return returnedAt.isEmpty();
    }
}
