package io.poolwatch.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Acquire + release throughput through a poolwatch pool against a raw Agroal pool with the same configuration on
 * a stub driver; Agroal with its own metrics on is the reference row. Run with -t 1 and -t 4.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AcquireReleaseBenchmark {

    @Param({ "8", "32" })
    int poolSize;

    @Param({ "raw-agroal", "agroal-metrics", "poolwatch", "empty-listener" })
    String pool;

    private DataSource dataSource;
    private AutoCloseable closeable;
    private java.util.concurrent.ScheduledExecutorService sampler;

    @Setup
    public void open() throws SQLException {
        switch (pool) {
            case "raw-agroal" -> {
                var ds = BenchPools.raw(poolSize, false);
                dataSource = ds;
                closeable = ds;
            }
            case "agroal-metrics" -> {
                var ds = BenchPools.raw(poolSize, true);
                dataSource = ds;
                closeable = ds;
            }
            case "poolwatch" -> {
                var p = BenchPools.poolwatch(poolSize);
                dataSource = p.dataSource();
                closeable = p;
                sampler = BenchPools.sample(p.recorder());
            }
            case "empty-listener" -> {
                // Agroal's own cost of calling a listener that does nothing.
                var ds = io.agroal.api.AgroalDataSource.from(
                        io.poolwatch.pool.PoolFactory.agroalConfiguration(BenchPools.settings(poolSize), java.util.Optional.empty()),
                        new io.agroal.api.AgroalDataSourceListener() {
                        });
                dataSource = ds;
                closeable = ds;
            }
            default -> throw new IllegalArgumentException(pool);
        }
    }

    @TearDown
    public void close() throws Exception {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        closeable.close();
    }

    @Benchmark
    public void acquireRelease(Blackhole bh) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            bh.consume(c);
        }
    }
}
