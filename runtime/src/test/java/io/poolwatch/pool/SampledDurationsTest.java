package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Timed statement durations folded into the exported histogram: scaled to the exact count, bucket by bucket, with their
 * time; an interval without timed ones is carried to the next; and the coarse clock the untimed ones read moves while a
 * pool uses it.
 */
class SampledDurationsTest {

    @Test
    void theTimedOnesAreScaledToTheExactCount() {
        SampledDurations sampled = new SampledDurations();
        DurationHistogram exported = new DurationHistogram();
        sampled.record(50_000); // 50 µs: the first bucket (<= 100 µs)
        sampled.record(2_000_000); // 2 ms: <= 2.5 ms
        sampled.record(2_000_000);
        sampled.record(3_000_000_000L); // 3 s: <= 5 s
        sampled.foldInto(exported, 400);
        DurationHistogram.Snapshot s = exported.snapshot();
        assertEquals(400, s.count());
        long[] buckets = s.bucketCounts();
        assertEquals(100, buckets[DurationHistogram.bucketOf(50_000)]);
        assertEquals(200, buckets[DurationHistogram.bucketOf(2_000_000)]);
        assertEquals(100, buckets[DurationHistogram.bucketOf(3_000_000_000L)]);
        assertEquals((0.00005 + 0.004 + 3) * 100, s.sumSeconds(), 1e-9);

        // Drained: the next interval starts empty. Ten statements, none timed: they wait for an interval with timed ones.
        sampled.foldInto(exported, 10);
        assertEquals(400, exported.count());
        sampled.record(50_000);
        sampled.foldInto(exported, 1);
        assertEquals(411, exported.count(), "the carried ten and this interval's one");
        long[] after = exported.snapshot().bucketCounts();
        assertEquals(111, after[0]);
        assertArrayEquals(new long[] { 200, 100 }, new long[] { after[DurationHistogram.bucketOf(2_000_000)],
                after[DurationHistogram.bucketOf(3_000_000_000L)] });
    }

    @Test
    void theCoarseClockMovesWhileUsedAndTicksAtTheFinestTickAskedFor() throws InterruptedException {
        CoarseClock.acquire(5_000_000L);
        CoarseClock.acquire(2_000_000L);
        try {
            assertTrue(CoarseClock.tickNanos() <= 2_000_000L, "the finest tick asked for wins: " + CoarseClock.tickNanos());
            long first = CoarseClock.now();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (CoarseClock.now() == first && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(CoarseClock.now() > first, "the clock ticked");
            assertTrue(CoarseClock.now() <= System.nanoTime(), "never ahead of the system clock");
        } finally {
            CoarseClock.release(2_000_000L);
            CoarseClock.release(5_000_000L);
        }
    }
}
