package io.poolwatch.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Acquire + release throughput through a poolwatch pool against a raw Agroal pool with the same configuration on
 * a stub driver; Agroal with its own metrics on, and Agroal calling an empty listener, are reference rows. Run with
 * -t 1 and -t 4.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AcquireReleaseBenchmark extends PoolUnderTest {

    @Param({ "8", "32" })
    int poolSize;

    @Param({ "raw-agroal", "agroal-metrics", "poolwatch", "empty-listener" })
    String pool;

    @Setup
    public void open() throws SQLException {
        open(pool, BenchPools.stubSettings(poolSize));
    }

    @Benchmark
    public void acquireRelease(Blackhole bh) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            bh.consume(c);
        }
    }
}
