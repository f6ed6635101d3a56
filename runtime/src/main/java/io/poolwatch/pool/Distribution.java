package io.poolwatch.pool;

/**
 * A latency distribution in milliseconds.
 *
 * @param count values recorded (sampled: see {@link PoolRecorder})
 * @param mean mean value
 * @param p50 median
 * @param p95 95th percentile
 * @param p99 99th percentile
 * @param max largest value
 */
public record Distribution(long count, double mean, double p50, double p95, double p99, double max) {

    /** No values. */
    public static final Distribution EMPTY = new Distribution(0, 0, 0, 0, 0, 0);
}
