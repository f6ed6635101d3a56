package io.poolwatch.bench;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.agroal.api.AgroalDataSource;
import io.poolwatch.config.DatabaseKind;
import io.poolwatch.config.DatabaseUrl;
import io.poolwatch.config.IsolationLevel;
import io.poolwatch.config.MonitoringSettings;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.pool.PoolFactory;
import io.poolwatch.pool.WorkloadPool;

/** The pools a benchmark compares, all built from the same settings on the stub driver. */
final class BenchPools {

    private BenchPools() {
    }

    static PoolSettings settings(int size) {
        StubDriver.register();
        // H2 as the kind only selects which driver properties are added: none that the stub would see.
        DatabaseUrl url = new DatabaseUrl(DatabaseKind.H2, StubDriver.URL, Optional.empty(), Optional.empty(), Map.of());
        return new PoolSettings("bench", url, Optional.empty(), Optional.empty(), size, size, size, Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO, false, Duration.ZERO, Duration.ofMinutes(5),
                IsolationLevel.READ_COMMITTED, Optional.empty(), false, "poolwatch-bench", false, false, Map.of(), List.of(), Map.of());
    }

    /** A plain Agroal pool with the same configuration, Agroal's metrics off (or on, for the reference row). */
    static AgroalDataSource raw(int size, boolean agroalMetrics) throws SQLException {
        return AgroalDataSource.from(PoolFactory.agroalConfiguration(settings(size), Optional.empty()).metricsEnabled(agroalMetrics));
    }

    /** A poolwatch pool: recorder, statement timing and failure counting included. */
    static WorkloadPool poolwatch(int size) throws SQLException {
        return PoolFactory.create(settings(size), new MonitoringSettings(true, Duration.ofSeconds(1), 0.05, 5, false));
    }

    /**
     * Runs what PoolSampler does for the hot path every second: it reads the counters and lets the recorder choose
     * how many acquisitions to time. Without it a benchmark would time every acquisition, as only a quiet pool does.
     */
    static java.util.concurrent.ScheduledExecutorService sample(io.poolwatch.sampling.PoolRecorder recorder) {
        var executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-sampler");
            t.setDaemon(true);
            return t;
        });
        long[] previous = { recorder.counters().acquired() };
        executor.scheduleAtFixedRate(() -> {
            long now = recorder.counters().acquired();
            recorder.adaptSampling(now - previous[0], Duration.ofSeconds(1));
            previous[0] = now;
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        return executor;
    }
}
