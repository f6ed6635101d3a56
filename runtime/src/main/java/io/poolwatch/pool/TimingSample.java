package io.poolwatch.pool;

/**
 * How many of a pool's checkouts, leases or statements are timed, chosen by the sampler from the rate it just measured:
 * every one while the pool is quiet, and above that about {@link #TIMED_PER_SECOND} a second, never fewer than one in
 * {@link #MAX_ONE_IN}. Counts stay exact; only the clock reads are sampled, because on a virtual machine a clock read
 * can cost more than a whole acquire and return (docs/PERFORMANCE.md, "Hot path").
 */
final class TimingSample {

    /** Below this rate (per second) every event is timed; above it, about this many a second. */
    static final double TIMED_PER_SECOND = 1_000;
    /** The sparsest sample: one event in this many (a power of two). */
    static final int MAX_ONE_IN = 4096;

    private TimingSample() {
    }

    /**
     * The mask an event's number or a random number is tested against ({@code (n & mask) == 0} times it): 0 times every
     * event, {@code 2^k - 1} one in {@code 2^k}, the smallest power of two that keeps the timed ones near
     * {@link #TIMED_PER_SECOND}.
     */
    static int mask(double perSecond) {
        if (!(perSecond > TIMED_PER_SECOND)) {
            return 0;
        }
        long ratio = (long) Math.ceil(Math.min(perSecond / TIMED_PER_SECOND, MAX_ONE_IN));
        long oneIn = Long.highestOneBit(ratio - 1) << 1;
        return (int) Math.min(MAX_ONE_IN, Math.max(1, oneIn)) - 1;
    }
}
