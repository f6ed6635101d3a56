package io.poolwatch.pool;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records latencies from many threads without locks and hands the sampler one interval at a time: an HdrHistogram
 * wait-free {@link Recorder} for the interval's percentiles, and {@link SampledDurations} (the exported histogram's own
 * buckets) for a {@link DurationHistogram} that is never reset.
 *
 * <p>
 * The percentiles are kept to one significant digit, Micrometer's default percentile precision: a value is known to
 * within 1/16 of itself and is reported as the middle of that range, so within 3.2 %. That keeps a recorder's arrays at
 * 464 counts (about 8 KB for the pair) instead of 3,328 at two digits, and the sampler's walk over them as short. The
 * exported histogram does not depend on it: its buckets count the timed durations exactly, so a bound such as the
 * checkout rule's 2 s is exact.
 */
final class LatencyRecorder {

    /** One hour in microseconds: longer values are recorded as one hour. */
    private static final long HIGHEST_MICROS = 3_600_000_000L;
    private static final int SIGNIFICANT_DIGITS = 1;

    private final Recorder recorder = new Recorder(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    private Histogram recycled;
    private long timedSinceReset;
    private double microsSinceReset;
    private final SampledDurations buckets = new SampledDurations();
    private final DurationHistogram exported = new DurationHistogram();

    /** Records one value; safe from any thread. */
    void record(long nanos) {
        recorder.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, nanos / 1000)));
        buckets.record(nanos);
    }

    /**
     * The values recorded since the previous call, and folds them into the exported histogram scaled to
     * {@code exactEvents}. A value recorded while this runs may be in this interval's percentiles and the next one's
     * buckets, or the other way round, never lost. Sampler thread only.
     *
     * @param exactEvents how many events the interval had, timed or not (0 or less when not known: the timed ones count)
     */
    synchronized Distribution takeInterval(long exactEvents) {
        Histogram interval = recorder.getIntervalHistogram(recycled);
        buckets.foldInto(exported, exactEvents);
        timedSinceReset += interval.getTotalCount();
        microsSinceReset += interval.getTotalCount() == 0 ? 0 : interval.getMean() * interval.getTotalCount();
        Distribution d = describe(interval);
        recycled = interval;
        return d;
    }

    /** Every interval taken so far, scaled to exact counts; never reset. */
    DurationHistogram exported() {
        return exported;
    }

    /** The mean of the values timed since the last reset, in milliseconds, as of the last {@link #takeInterval}; 0 for none. */
    synchronized double meanSinceReset() {
        return timedSinceReset == 0 ? 0 : microsSinceReset / timedSinceReset / 1000.0;
    }

    /**
     * Forgets what was recorded and not yet taken, and the mean since the last reset (the exported histogram is never reset).
     */
    synchronized void reset() {
        recorder.reset();
        timedSinceReset = 0;
        microsSinceReset = 0;
    }

    private static Distribution describe(Histogram h) {
        if (h.getTotalCount() == 0) {
            return Distribution.EMPTY;
        }
        return new Distribution(h.getTotalCount(), h.getMean() / 1000.0, percentile(h, 50), percentile(h, 95),
                percentile(h, 99),
                h.medianEquivalentValue(h.getMaxValue()) / 1000.0);
    }

    /** In milliseconds, the middle of the range of values the percentile's count stands for. */
    private static double percentile(Histogram h, double p) {
        return h.medianEquivalentValue(h.getValueAtPercentile(p)) / 1000.0;
    }
}
