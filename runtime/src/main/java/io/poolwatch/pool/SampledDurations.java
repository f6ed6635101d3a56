package io.poolwatch.pool;

import java.util.concurrent.atomic.LongAdder;

/**
 * The durations of the statements that were timed since the sampler last took them, in {@link DurationHistogram}'s
 * buckets: fixed memory (one adder per bucket, no HdrHistogram), allocation-free to record from any thread. The sampler
 * folds them into the exported histogram scaled to the exact number of statements, as it does for checkouts.
 */
final class SampledDurations {

    private final LongAdder[] buckets = new LongAdder[DurationHistogram.BOUNDS_SECONDS.length + 1];
    private final LongAdder nanos = new LongAdder();

    SampledDurations() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Records one timed duration; any thread. */
    void record(long elapsedNanos) {
        long n = Math.max(0, elapsedNanos);
        buckets[DurationHistogram.bucketOf(n)].increment();
        nanos.add(n);
    }

    /**
     * Moves what was recorded into {@code into}, scaled to {@code exactEvents}. A value recorded while this runs lands in
     * this interval or the next, never in both and never lost (each adder is drained by get-and-set). Sampler thread only.
     */
    void foldInto(DurationHistogram into, long exactEvents) {
        long[] counts = new long[buckets.length];
        long timed = 0;
        for (int i = 0; i < buckets.length; i++) {
            counts[i] = buckets[i].sumThenReset();
            timed += counts[i];
        }
        into.foldCounts(counts, timed, nanos.sumThenReset() / 1e9, exactEvents);
    }
}
