package io.poolwatch.pool;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records latencies from many threads without locks (HdrHistogram's wait-free {@link Recorder}) and hands
 * the sampler one interval at a time, keeping a cumulative histogram since the last reset, and a
 * {@link DurationHistogram} for export that is never reset.
 */
final class LatencyRecorder {

    /** One hour in microseconds: longer values are recorded as one hour. */
    private static final long HIGHEST_MICROS = 3_600_000_000L;
    private static final int SIGNIFICANT_DIGITS = 2;

    private final Recorder recorder = new Recorder(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    private final Histogram cumulative = new Histogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    private Histogram recycled;
    private final DurationHistogram exported = new DurationHistogram();

    /** Records one value; safe from any thread. */
    void record(long nanos) {
        recorder.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, nanos / 1000)));
    }

    /**
     * The values recorded since the previous call; folds them into the cumulative histogram, and into the exported one
     * scaled to {@code exactEvents}. Sampler thread only.
     *
     * @param exactEvents how many events the interval had, timed or not (0 or less when not known: the timed ones count)
     */
    synchronized Distribution takeInterval(long exactEvents) {
        Histogram interval = recorder.getIntervalHistogram(recycled);
        cumulative.add(interval);
        exported.fold(interval, exactEvents);
        Distribution d = describe(interval);
        recycled = interval;
        return d;
    }

    /** Everything recorded since the last reset, as of the last {@link #takeInterval(long)}. */
    synchronized Distribution cumulative() {
        return describe(cumulative);
    }

    /** Every interval taken so far, scaled to exact counts; never reset. */
    DurationHistogram exported() {
        return exported;
    }

    synchronized void reset() {
        recorder.reset();
        cumulative.reset();
    }

    private static Distribution describe(Histogram h) {
        if (h.getTotalCount() == 0) {
            return Distribution.EMPTY;
        }
        return new Distribution(h.getTotalCount(), h.getMean() / 1000.0, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(95) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }
}
