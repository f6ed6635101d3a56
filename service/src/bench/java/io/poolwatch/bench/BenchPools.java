package io.poolwatch.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.config.DatabaseUrl;
import io.poolwatch.config.IsolationLevel;
import io.poolwatch.config.MonitoringSettings;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.TlsSettings;
import io.poolwatch.config.ReadRouting;
import io.poolwatch.config.PoolRole;

/** The pools a benchmark compares, all built from the same settings on the stub driver. */
final class BenchPools {

    private BenchPools() {
    }

    /** Monitoring as poolwatch runs by default: 1 s slow-query threshold, no statement logging. */
    static final MonitoringSettings MONITORING = new MonitoringSettings(true, Duration.ofSeconds(1), 0.05, 5, false);

    /** Pool settings on the stub driver. */
    static PoolSettings stubSettings(int size) {
        StubDriver.register();
        // H2 as the kind only selects which driver properties are added: none that the stub would see.
        return settings(new DatabaseUrl(DatabaseKind.H2, StubDriver.URL, Optional.empty(), Optional.empty(), Map.of()), size);
    }

    /** The same settings for every pool compared: min = max = initial = size, no validation on borrow, leak detection 5m. */
    static PoolSettings settings(DatabaseUrl url, int size) {
        return new PoolSettings(new PoolSettings.Identity("bench", "bench", PoolRole.PRIMARY, "poolwatch-bench", false, false),
                new PoolSettings.Target(url, Optional.empty(), Optional.empty(), Map.of(), TlsSettings.driverDefault(url.kind())),
                new PoolSettings.Sizes(size, size, size),
                new PoolSettings.Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(10), Optional.empty(), Optional.empty()),
                PoolSettings.Upkeep.none().withLeakDetectionInterval(Duration.ofMinutes(5)),
                new PoolSettings.Session(IsolationLevel.READ_COMMITTED, false), ReadRouting.DEFAULT, List.of(), Map.of());
    }

    /**
     * Runs what PoolSampler does for the hot path every second: it reads the counters and lets the recorders choose
     * how many acquisitions and statements to time (and folds the timed statements into their histogram). Without it a
     * benchmark would time every acquisition and statement, as only a quiet pool does.
     */
    static java.util.concurrent.ScheduledExecutorService sample(io.poolwatch.pool.WorkloadPool pool) {
        var executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-sampler");
            t.setDaemon(true);
            return t;
        });
        io.poolwatch.pool.PoolRecorder recorder = pool.recorder();
        long[] previous = { recorder.counters().acquired() };
        executor.scheduleAtFixedRate(() -> {
            long now = recorder.counters().acquired();
            recorder.adaptSampling(now - previous[0], Duration.ofSeconds(1));
            previous[0] = now;
            pool.statements().takeInterval(Duration.ofSeconds(1));
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        return executor;
    }
}
