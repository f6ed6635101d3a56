package io.poolwatch.pool;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cumulative histogram of durations with fixed bucket bounds chosen for connection pools, from 100 µs to 30 s, for
 * export as a Prometheus histogram (and OpenTelemetry's explicit-bucket histogram): per-bucket counts add up across
 * pods, so {@code histogram_quantile} over {@code sum by (le)} gives a fleet's percentiles, which per-pod quantile gauges
 * cannot. It is never reset (counters stay monotonic); {@link PoolRecorder#resetDistributions()} leaves it alone.
 * <p>
 * Two ways in: {@link #record(long)} counts one duration on the caller's thread (connection creation, which is rare);
 * {@link #foldCounts} adds a sampling interval ({@link SampledDurations}) on the sampler thread, scaled to the exact number of
 * events in the interval (checkouts, leases and statements, of which a busy pool times only a sample),
 * so the hot path pays nothing for it and {@code _count} stays the exact count of events, as of the last sample that
 * timed one.
 */
public final class DurationHistogram {

    /**
     * Upper bounds in seconds, ascending; a last bucket (+Inf) takes everything above. 1-2.5-5 steps up to 1 s, then 2 s
     * (not 2.5): the checkout-time rule's default threshold is 2 s, and with a bound there {@code histogram_quantile(0.95,
     * ...) > 2} is true exactly when more than 5 % of checkouts took over 2 s, where interpolating inside a 1 to 2.5 s
     * bucket could put a p95 of 2.4 s at 1.3 s.
     */
    public static final double[] BOUNDS_SECONDS = { 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
            0.5, 1,
            2, 5, 10, 30 };
    private static final long[] BOUNDS_NANOS = Arrays.stream(BOUNDS_SECONDS).mapToLong(s -> Math.round(s * 1e9)).toArray();

    /** Counts per bucket (not cumulative): BOUNDS_SECONDS.length + 1 entries, the last for +Inf. */
    private final LongAdder[] buckets = new LongAdder[BOUNDS_SECONDS.length + 1];
    /** When counting began (Unix epoch, nanoseconds): the start of the cumulative series, as OTLP carries it. */
    private final long startEpochNanos = epochNanos(Instant.now());
    /**
     * Total of the durations {@link #record}ed, exact; a LongAdder of nanoseconds costs the hot path less than a DoubleAdder.
     */
    private final LongAdder recordedNanos = new LongAdder();
    /** Total of the intervals folded in, scaled like their counts. */
    private final DoubleAdder foldedSeconds = new DoubleAdder();
    /** Events of intervals in which none was timed, placed with the next interval that has timed ones. Sampler thread only. */
    private long unplaced;

    public DurationHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /**
     * A consistent reading: {@code count} equals the last cumulative count.
     *
     * @param boundsSeconds the upper bounds, as {@link #BOUNDS_SECONDS} (without +Inf)
     * @param cumulativeCounts for each bound, the events at or under it; one more entry at the end for +Inf (= count)
     * @param count all events
     * @param sumSeconds the events' total duration
     */
    public record Snapshot(double[] boundsSeconds, long[] cumulativeCounts, long count, double sumSeconds) {

        /** Per-bucket counts (not cumulative), +Inf last, as OpenTelemetry's explicit-bucket histogram carries them. */
        public long[] bucketCounts() {
            long[] out = new long[cumulativeCounts.length];
            long prior = 0;
            for (int i = 0; i < out.length; i++) {
                out[i] = cumulativeCounts[i] - prior;
                prior = cumulativeCounts[i];
            }
            return out;
        }
    }

    /** Counts one duration; safe from any thread, and allocation-free. */
    public void record(long nanos) {
        buckets[bucketOf(nanos)].increment();
        recordedNanos.add(Math.max(0, nanos));
    }

    /** How many durations were counted, recorded and folded, without building a snapshot. */
    public long count() {
        long n = 0;
        for (LongAdder b : buckets) {
            n += b.sum();
        }
        return n;
    }

    /** The total of the durations {@link #record}ed (folded intervals not included), in nanoseconds. */
    public long recordedNanos() {
        return recordedNanos.sum();
    }

    /**
     * Adds one sampling interval given as per-bucket counts of the timed events ({@link SampledDurations}), scaled so
     * that their total is {@code exactEvents}: a busy pool that timed one checkout in 64 still adds every checkout,
     * spread over the buckets as the timed ones were (largest remainders round, so the total is exact). An interval with
     * events but none timed (a burst just ended while one in 64 was timed, say) adds its events to the next interval
     * that has timed ones, so {@code _count} is not left short of the pool's own counter. Sampler thread only.
     *
     * @param counts per bucket (not cumulative), +Inf last; {@code timed} in total
     * @param sumSeconds the timed events' total duration
     * @param exactEvents how many events the interval really had, from the pool's counters. It may miss a timed event that
     *        the counters see only in the next interval (they are read a moment before the interval is taken); that
     *        event is then counted there.
     */
    void foldCounts(long[] counts, long timed, double sumSeconds, long exactEvents) {
        unplaced += Math.max(0, exactEvents);
        if (timed == 0 || unplaced == 0) {
            return;
        }
        long total = unplaced;
        unplaced = 0;
        long[] scaled = scale(counts, timed, total);
        for (int i = 0; i < scaled.length; i++) {
            if (scaled[i] != 0) {
                buckets[i].add(scaled[i]);
            }
        }
        foldedSeconds.add(sumSeconds * ((double) total / timed));
    }

    /** The total of every duration counted, recorded and folded (scaled), in seconds, without building a snapshot. */
    public double sumSeconds() {
        return recordedNanos.sum() / 1e9 + foldedSeconds.sum();
    }

    /** Per-bucket counts scaled from {@code timed} to {@code total} events, rounded by largest remainder (sum = total). */
    static long[] scale(long[] counts, long timed, long total) {
        long[] out = new long[counts.length];
        if (total == timed) {
            System.arraycopy(counts, 0, out, 0, counts.length);
            return out;
        }
        double[] remainder = new double[counts.length];
        long assigned = 0;
        for (int i = 0; i < counts.length; i++) {
            double exact = (double) counts[i] * total / timed;
            out[i] = (long) Math.floor(exact);
            remainder[i] = exact - out[i];
            assigned += out[i];
        }
        for (long left = total - assigned; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < remainder.length; i++) {
                if (remainder[i] > remainder[best]) {
                    best = i;
                }
            }
            if (remainder[best] < 0) {
                break;
            }
            out[best]++;
            remainder[best] = -1;
        }
        return out;
    }

    /** The counts so far. Buckets are read once each, so the cumulative counts and the count agree with each other. */
    public Snapshot snapshot() {
        long[] cumulative = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        return new Snapshot(BOUNDS_SECONDS.clone(), cumulative, running, recordedNanos.sum() / 1e9 + foldedSeconds.sum());
    }

    /** When this histogram began counting (Unix epoch, nanoseconds); its counts are everything since. */
    public long startEpochNanos() {
        return startEpochNanos;
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** The bucket a duration falls in: the first bound it does not exceed, else +Inf. */
    static int bucketOf(long nanos) {
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            if (nanos <= BOUNDS_NANOS[i]) {
                return i;
            }
        }
        return BOUNDS_NANOS.length;
    }
}
