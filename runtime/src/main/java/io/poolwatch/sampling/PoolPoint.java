package io.poolwatch.sampling;

import java.time.Instant;

/**
 * The figures of a snapshot that the overview's cards draw (their sparklines and the slow statements of the last
 * minute): read from the encoded history without building whole snapshots ({@link PoolHistory#points()}).
 *
 * @param takenAt when the snapshot was taken
 * @param utilization active / maxSize
 * @param checkoutCount checkouts timed in the interval
 * @param checkoutP95 their p95, in milliseconds
 * @param slowStatements slow statements since the pool was created
 */
public record PoolPoint(Instant takenAt, double utilization, long checkoutCount, double checkoutP95, long slowStatements) {

    public static PoolPoint of(PoolSnapshot s) {
        return new PoolPoint(s.takenAt(), s.utilization(), s.checkout() == null ? 0 : s.checkout().count(),
                s.checkout() == null ? 0 : s.checkout().p95(), s.slowStatements());
    }
}
