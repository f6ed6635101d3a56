package io.poolwatch.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
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

import io.agroal.api.AgroalDataSource;
import io.poolwatch.config.DatabaseUrl;
import io.poolwatch.config.IsolationLevel;
import io.poolwatch.config.MonitoringSettings;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.pool.PoolFactory;
import io.poolwatch.pool.WorkloadPool;

/**
 * Select-only transactions per second on a real PostgreSQL (pgbench's select-only shape: one primary-key read per
 * transaction), through a poolwatch pool against a raw Agroal pool of the same size. Run with -t 4 and -t 16; the
 * pool has as many connections as threads. Needs PostgreSQL on 127.0.0.1:5432 (override with -Dbench.url=...).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SelectOnlyBenchmark {

    @Param({ "raw-agroal", "poolwatch" })
    String pool;

    @Param({ "16" })
    int poolSize;

    private DataSource dataSource;
    private AutoCloseable closeable;
    private java.util.concurrent.ScheduledExecutorService sampler;

    @Setup
    public void open() throws SQLException {
        String url = System.getProperty("bench.url", "jdbc:postgresql://127.0.0.1:5432/poolwatch_test?user=postgres");
        PoolSettings s = new PoolSettings("bench", DatabaseUrl.parse(url), Optional.empty(), Optional.empty(), poolSize, poolSize, poolSize,
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO, false, Duration.ZERO, Duration.ofMinutes(5),
                IsolationLevel.READ_COMMITTED, Optional.empty(), false, "poolwatch-bench", false, false, Map.of(), List.of(), Map.of());
        if (pool.equals("poolwatch")) {
            WorkloadPool p = PoolFactory.create(s, new MonitoringSettings(true, Duration.ofSeconds(1), 0.05, 5, false));
            dataSource = p.dataSource();
            closeable = p;
            sampler = BenchPools.sample(p.recorder());
        } else {
            AgroalDataSource ds = AgroalDataSource.from(PoolFactory.agroalConfiguration(s, Optional.empty()));
            dataSource = ds;
            closeable = ds;
        }
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS bench_accounts (id INT PRIMARY KEY, balance INT NOT NULL)");
            st.execute("INSERT INTO bench_accounts SELECT g, 0 FROM generate_series(1, 100000) g ON CONFLICT DO NOTHING");
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
