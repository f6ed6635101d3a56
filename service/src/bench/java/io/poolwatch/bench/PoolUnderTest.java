package io.poolwatch.bench;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import javax.sql.DataSource;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalDataSourceListener;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.pool.PoolFactory;
import io.poolwatch.pool.WorkloadPool;

/** The pool a benchmark runs against, built by kind from one set of settings, and closed after the trial. */
@State(Scope.Benchmark)
public abstract class PoolUnderTest {

    protected DataSource dataSource;
    private AutoCloseable closeable;
    private ScheduledExecutorService sampler;

    /**
     * Opens the pool: {@code raw-agroal} (metrics off), {@code agroal-metrics}, {@code empty-listener} (Agroal calling a
     * listener that does nothing) or {@code poolwatch} (with the sampler's adaptation running, as in production).
     */
    protected void open(String kind, PoolSettings settings) throws SQLException {
        switch (kind) {
            case "raw-agroal", "agroal-metrics", "empty-listener" -> {
                AgroalDataSourceListener[] listeners = kind.equals("empty-listener")
                        ? new AgroalDataSourceListener[] { new AgroalDataSourceListener() {
                        } }
                        : new AgroalDataSourceListener[0];
                AgroalDataSource ds = AgroalDataSource.from(
                        PoolFactory.agroalConfiguration(settings, Optional.empty()).metricsEnabled(kind.equals("agroal-metrics")), listeners);
                dataSource = ds;
                closeable = ds;
            }
            case "poolwatch" -> {
                WorkloadPool p = PoolFactory.create(settings, BenchPools.MONITORING);
                dataSource = p.dataSource();
                closeable = p;
                sampler = BenchPools.sample(p);
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    @TearDown
    public void close() throws Exception {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        closeable.close();
    }
}
