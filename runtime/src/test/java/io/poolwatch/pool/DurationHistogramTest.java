package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class DurationHistogramTest {

    @Test
    void aDurationFallsInTheFirstBucketItDoesNotExceedAndTheLastTakesTheRest() {
        DurationHistogram h = new DurationHistogram();
        h.record(50_000); // 50 µs: first bucket (100 µs)
        h.record(100_000); // exactly 100 µs: still the first (le is inclusive)
        h.record(100_001); // just over: the second (250 µs)
        h.record(2_000_000_000L); // exactly 2 s: the 2 s bucket (the checkout-time rule's default threshold)
        h.record(60_000_000_000L); // 60 s: +Inf
        DurationHistogram.Snapshot s = h.snapshot();
        assertEquals(5, s.count());
        assertEquals(DurationHistogram.BOUNDS_SECONDS.length + 1, s.cumulativeCounts().length);
        assertEquals(2, s.cumulativeCounts()[0]);
        assertEquals(3, s.cumulativeCounts()[1]);
        int two = Arrays.binarySearch(DurationHistogram.BOUNDS_SECONDS, 2.0);
        assertEquals(3, s.cumulativeCounts()[two - 1]);
        assertEquals(4, s.cumulativeCounts()[two]);
        assertEquals(4, s.cumulativeCounts()[DurationHistogram.BOUNDS_SECONDS.length - 1]);
        assertEquals(5, s.cumulativeCounts()[DurationHistogram.BOUNDS_SECONDS.length]);
        assertEquals(62.000250001, s.sumSeconds(), 1e-9);
        // The statement count and total time are read from here too, without a snapshot.
        assertEquals(5, h.count());
        assertEquals(62_000_250_001L, h.recordedNanos());
        long[] perBucket = s.bucketCounts();
        assertEquals(5, Arrays.stream(perBucket).sum());
        assertEquals(1, perBucket[DurationHistogram.BOUNDS_SECONDS.length]);
    }

    @Test
    void aSampledIntervalIsScaledToTheExactNumberOfEventsKeepingItsShape() {
        SampledDurations interval = timed(80_000, 80_000, 80_000, 4_000_000); // 3 x 80 µs (first bucket), 4 ms (the 5 ms bucket)
        DurationHistogram h = new DurationHistogram();
        interval.foldInto(h, 64 * 4); // one in 64 timed
        DurationHistogram.Snapshot s = h.snapshot();
        assertEquals(256, s.count());
        assertEquals(192, s.cumulativeCounts()[0]);
        assertEquals(256, s.cumulativeCounts()[s.cumulativeCounts().length - 1]);
        assertEquals((3 * 80e-6 + 4e-3) * 64, s.sumSeconds(), 1e-9, "3 x 80 µs + 4 ms, times 64");
    }

    @Test
    void eventsOfAnIntervalWithNothingTimedArePlacedWithTheNextTimedInterval() {
        DurationHistogram h = new DurationHistogram();
        timed().foldInto(h, 100); // a burst's tail: 100 checkouts, none of them timed
        assertEquals(0, h.snapshot().count());
        long[] sevenAt400Micros = new long[7];
        Arrays.fill(sevenAt400Micros, 400_000); // the 500 µs bucket
        timed(sevenAt400Micros).foldInto(h, 7);
        DurationHistogram.Snapshot s = h.snapshot();
        assertEquals(107, s.count());
        assertEquals(0, s.cumulativeCounts()[1]);
        assertEquals(107, s.cumulativeCounts()[2]);
        assertEquals(107 * 400e-6, s.sumSeconds(), 1e-9);
    }

    @Test
    void aTimedEventTheCountersSeeOnlyInTheNextIntervalIsCountedOnce() {
        DurationHistogram h = new DurationHistogram();
        timed(500_000).foldInto(h, 0); // timed, but the counters were read a moment before it happened
        assertEquals(0, h.snapshot().count());
        timed().foldInto(h, 1); // the counters' next reading has it; nothing timed in this interval
        timed(500_000, 500_000).foldInto(h, 2);
        assertEquals(3, h.snapshot().count());
    }

    private static SampledDurations timed(long... nanos) {
        SampledDurations d = new SampledDurations();
        for (long n : nanos) {
            d.record(n);
        }
        return d;
    }

    @Test
    void scalingRoundsByLargestRemainderSoTheTotalIsExact() {
        // Equal remainders: the first bucket takes the odd one.
        assertArrayEquals(new long[] { 4, 3, 3 }, DurationHistogram.scale(new long[] { 1, 1, 1 }, 3, 10));
        long[] scaled = DurationHistogram.scale(new long[] { 5, 0, 2, 9, 1 }, 17, 1_000_003);
        assertEquals(1_000_003, Arrays.stream(scaled).sum());
        assertEquals(0, scaled[1]);
        assertArrayEquals(new long[] { 2, 0, 5 }, DurationHistogram.scale(new long[] { 2, 0, 5 }, 7, 7));
    }
}
