package io.poolwatch.bench;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.poolwatch.config.PoolRole;
import io.poolwatch.pool.Distribution;
import io.poolwatch.pool.PoolCounters;
import io.poolwatch.sampling.PoolHistory;
import io.poolwatch.sampling.PoolPoint;
import io.poolwatch.sampling.PoolSnapshot;

/**
 * What keeping a pool's history encoded costs its readers and its writer: reading a busy pool's hour (720 snapshots at
 * the 5 s default) whole, as the pool page does, and as points, as the overview's cards do; reading the error rate's
 * window (the last minute); and adding one snapshot (encoded, and checked by decoding it).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class PoolHistoryBenchmark {

    private static final int HOUR_AT_5S = 720;
    private static final Instant START = Instant.parse("2026-12-03T00:00:00Z");

    private PoolHistory history;
    private int next;

    static PoolSnapshot busy(int i) {
        PoolCounters totals = new PoolCounters(1_000L * i, 1_000L * i, 1_000L * i, i / 10, 0, 12, 2, 0, 1, 0, 0, 0);
        PoolCounters interval = new PoolCounters(1_000, 1_000, 998, i % 3, 0, 0, 0, 0, 0, 0, 0, 0);
        return new PoolSnapshot("p001", "p001", PoolRole.PRIMARY, START.plusSeconds(5L * i), 2, 20, 7, 5, 12, 1, 14, 7.0 / 20, totals, interval,
                0.0021, new Distribution(1_000, 0.8123, 0.412, 2.347, 5.983, 11.2 + i % 7), new Distribution(998, 3.1415, 1.204, 8.9, 17.06,
                        40.5), 0, 40_000L * i, i / 100, 0.7316);
    }

    @Setup(Level.Trial)
    public void fill() {
        history = new PoolHistory(HOUR_AT_5S);
        for (next = 0; next < HOUR_AT_5S; next++) {
            history.add(busy(next));
        }
    }

    @Benchmark
    public List<PoolSnapshot> readTheHour() {
        return history.snapshots();
    }

    @Benchmark
    public List<PoolPoint> readTheHourAsTheCardsDo() {
        return history.points();
    }

    @Benchmark
    public long[] readTheErrorRateWindow() {
        return history.attemptsAndFailuresAfter(START.plusSeconds(5L * (next - 12)));
    }

    @Benchmark
    public PoolHistory addOne() {
        history.add(busy(next++));
        return history;
    }
}
