package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * What {@link LatencyRecorder} answers and what it keeps on the heap (JOL), as docs/PERFORMANCE.md ("Scale curve: 4 to
 * 400 pools") states it: percentiles to one significant digit (within 3.2 %), so flat 464-count arrays, a few KB
 * whatever is recorded. (HdrHistogram's packed recorder hung under concurrent recording: see there.)
 */
class LatencyRecorderTest {

    static {
        // JOL reads this once, when it first measures: the same setting as the other JOL tests that may share this JVM.
        System.setProperty("jol.magicFieldOffset", "true");
    }

    /** The most one recorder takes, idle or busy: its flat arrays and the exported buckets' adders. */
    private static final long BOUND = 12 * 1024;
    /** One significant digit: a value is known to within 1/16 of itself and reported as the middle of that range. */
    private static final double PRECISION = 1.0 / 32 + 0.001;

    @Test
    void answersThePercentilesOfEachIntervalAndOfEverythingSinceTheReset() {
        LatencyRecorder r = new LatencyRecorder();
        for (int i = 1; i <= 100; i++) {
            r.record(i * 1_000_000L); // 1 ms .. 100 ms
        }
        Distribution first = r.takeInterval(100);
        assertEquals(100, first.count());
        assertEquals(50.0, first.p50(), 0.5 + 50 * PRECISION);
        assertEquals(95.0, first.p95(), 0.5 + 95 * PRECISION);
        assertEquals(99.0, first.p99(), 0.5 + 99 * PRECISION);
        assertEquals(100.0, first.max(), 100 * PRECISION);
        assertEquals(50.5, r.meanSinceReset(), 50.5 * PRECISION);

        r.record(2_000_000_000L); // 2 s
        Distribution second = r.takeInterval(1);
        assertEquals(1, second.count());
        assertEquals(2000.0, second.max(), 2000 * PRECISION);
        assertEquals((5050 + 2000) / 101.0, r.meanSinceReset(), 70 * PRECISION);

        r.record(7_200_000_000_000L); // 2 h: kept as 1 h, the percentiles' ceiling
        assertEquals(3_600_000.0, r.takeInterval(1).max(), 3_600_000 * PRECISION);

        r.reset();
        assertEquals(0, r.meanSinceReset());
        assertEquals(Distribution.EMPTY, r.takeInterval(0));
        assertEquals(102, r.exported().count(), "the exported histogram is never reset");
        long[] cumulative = r.exported().snapshot().cumulativeCounts();
        assertEquals(100, cumulative[DurationHistogram.bucketOf(100_000_000L)], "1..100 ms: exactly 100 at or under 0.1 s");
        assertEquals(101, cumulative[DurationHistogram.bucketOf(2_000_000_000L)], "2 s is a bound, and exactly on it");
    }

    @Test
    void theExportedBucketsAreExactAtABoundWhereThePercentilesAreNot() {
        LatencyRecorder r = new LatencyRecorder();
        r.record(1_999_000_000L); // just under the checkout rule's 2 s
        r.record(2_001_000_000L); // just over
        r.takeInterval(2);
        long[] cumulative = r.exported().snapshot().cumulativeCounts();
        int twoSeconds = DurationHistogram.bucketOf(2_000_000_000L);
        assertEquals(1, cumulative[twoSeconds], "one at or under 2 s");
        assertEquals(2, cumulative[twoSeconds + 1]);
    }

    @Test
    void anIdleRecorderAndABusyOneTakeTheSameFlatArrays() {
        LatencyRecorder idle = new LatencyRecorder();
        for (int i = 0; i < 720; i++) {
            idle.takeInterval(0);
        }
        long idleBytes = GraphLayout.parseInstance(idle).totalSize();

        LatencyRecorder busy = new LatencyRecorder();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 720; i++) {
            for (int j = 0; j < 200; j++) {
                // 20 µs to 50 ms, log-uniform, and now and then a second or more: a busy pool's spread
                double micros = Math.exp(random.nextDouble(Math.log(20), Math.log(50_000)));
                busy.record((long) (micros * 1000) * (j == 0 && i % 60 == 0 ? 100 : 1));
            }
            busy.takeInterval(200);
        }
        long busyBytes = GraphLayout.parseInstance(busy).totalSize();
        System.out.printf("latency recorder: idle %,d bytes, busy %,d bytes%n", idleBytes, busyBytes);
        assertTrue(idleBytes < BOUND, "idle recorder " + idleBytes + " bytes");
        assertEquals(idleBytes, busyBytes, "flat arrays: what is recorded does not change the size");
    }
}
