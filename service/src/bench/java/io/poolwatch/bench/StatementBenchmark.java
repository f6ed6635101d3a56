package io.poolwatch.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of statement timing (counted always, timed for a sample, slow ones caught on the coarse clock): acquire,
 * create a statement, execute, close, on a stub driver, through a poolwatch pool against a raw Agroal pool.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StatementBenchmark extends PoolUnderTest {

    @Param({ "raw-agroal", "poolwatch" })
    String pool;

    @Setup
    public void open() throws SQLException {
        open(pool, BenchPools.stubSettings(8));
    }

    @Benchmark
    public void executeStatement(Blackhole bh) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            bh.consume(st.execute("SELECT 1"));
        }
    }
}
