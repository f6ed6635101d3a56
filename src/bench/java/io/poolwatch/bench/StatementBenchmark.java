package io.poolwatch.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 * The cost of statement timing (datasource-proxy): acquire, create a statement, execute, close, on a stub driver,
 * through a poolwatch pool against a raw Agroal pool.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StatementBenchmark {

    @Param({ "raw-agroal", "poolwatch" })
    String pool;

    private DataSource dataSource;
    private AutoCloseable closeable;
    private java.util.concurrent.ScheduledExecutorService sampler;

    @Setup
    public void open() throws SQLException {
        if (pool.equals("poolwatch")) {
            var p = BenchPools.poolwatch(8);
            dataSource = p.dataSource();
            closeable = p;
            sampler = BenchPools.sample(p.recorder());
        } else {
            var ds = BenchPools.raw(8, false);
            dataSource = ds;
            closeable = ds;
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
    public void executeStatement(Blackhole bh) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            bh.consume(st.execute("SELECT 1"));
        }
    }
}
