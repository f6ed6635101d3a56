package io.poolwatch.sampling;

import java.time.Instant;

import io.poolwatch.config.PoolRole;
import io.poolwatch.pool.Distribution;
import io.poolwatch.pool.PoolCounters;

/**
 * One pool at one moment, as the sampler saw it. Immutable; everything the API, metrics, health and alerts read.
 *
 * @param pool the pool name
 * @param workload the workload it serves
 * @param role primary or replica
 * @param takenAt when it was taken
 * @param minSize configured connections kept
 * @param maxSize configured most connections
 * @param active connections held by callers
 * @param idle open connections not held
 * @param open physical connections open
 * @param awaiting callers waiting in getConnection
 * @param peakOpen most connections open at once since the last reset
 * @param utilization active / maxSize
 * @param totals counts since the pool was created
 * @param interval counts since the previous snapshot
 * @param errorRate failed acquisitions / attempts over the error-rate window
 * @param checkout checkout (wait) times in this interval, sampled
 * @param lease lease (held) times in this interval, sampled
 * @param currentLeaks connections reported as leaked and not yet returned
 * @param statements statements run since the pool was created
 * @param slowStatements slow statements since the pool was created
 * @param intervalStatementMs mean statement time in this interval, 0 without statements
 */
public record PoolSnapshot(
        String pool,
        String workload,
        PoolRole role,
        Instant takenAt,
        int minSize,
        int maxSize,
        long active,
        long idle,
        long open,
        long awaiting,
        long peakOpen,
        double utilization,
        PoolCounters totals,
        PoolCounters interval,
        double errorRate,
        Distribution checkout,
        Distribution lease,
        int currentLeaks,
        long statements,
        long slowStatements,
        double intervalStatementMs) {
}
