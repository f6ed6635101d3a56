package io.poolwatch.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

import io.poolwatch.config.DatabaseUrl;

/**
 * Select-only transactions per second on a real PostgreSQL (pgbench's select-only shape: one primary-key read per
 * transaction), through a poolwatch pool against a raw Agroal pool of the same size. Run with -t 4 and -t 16; the
 * pool has as many connections as threads. Needs PostgreSQL on 127.0.0.1:5432 (override with -Dbench.url=...).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SelectOnlyBenchmark extends PoolUnderTest {

    @Param({ "raw-agroal", "poolwatch" })
    String pool;

    @Param({ "16" })
    int poolSize;

    @Setup
    public void open() throws SQLException {
        String url = System.getProperty("bench.url", "jdbc:postgresql://127.0.0.1:5432/poolwatch_test?user=postgres");
        open(pool, BenchPools.settings(DatabaseUrl.parse(url), poolSize));
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS bench_accounts (id INT PRIMARY KEY, balance INT NOT NULL)");
            st.execute("INSERT INTO bench_accounts SELECT g, 0 FROM generate_series(1, 100000) g ON CONFLICT DO NOTHING");
        }
    }

    @Benchmark
    public void selectOnly(Blackhole bh) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT balance FROM bench_accounts WHERE id = ?")) {
            ps.setInt(1, ThreadLocalRandom.current().nextInt(1, 100001));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                bh.consume(rs.getInt(1));
            }
        }
    }
}
