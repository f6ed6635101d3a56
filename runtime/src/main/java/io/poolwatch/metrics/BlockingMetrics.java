package io.poolwatch.metrics;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.poolwatch.observed.BlockingSampler;
import io.poolwatch.observed.BlockingSnapshot;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Binds each watched database's latest blocking snapshot to Micrometer: sessions blocked, the longest wait (0 when no
 * one waits, NaN when the views cannot be read) and, where the server counts them, deadlocks.
 */
@ApplicationScoped
public class BlockingMetrics {

    private final MeterRegistry meters;
    private final PoolRegistry registry;
    private final BlockingSampler sampler;

    BlockingMetrics(MeterRegistry meters, PoolRegistry registry, BlockingSampler sampler) {
        this.meters = meters;
        this.registry = registry;
        this.sampler = sampler;
    }

    void bind(@Observes StartupEvent event) {
        if (!sampler.enabled()) {
            return;
        }
        for (MonitorTarget target : registry.monitorTargets()) {
            String db = target.database();
            Tags tags = Tags.of(MetricNames.DATABASE, db);
            Gauge.builder(MetricNames.BLOCKED_SESSIONS, sampler, s -> s.latest(db).filter(BlockingSnapshot::available)
                    .map(b -> (double) b.blockedSessions()).orElse(Double.NaN))
                    .description(
                            "Sessions of this database waiting on a lock another session holds; NaN when that cannot be read")
                    .tags(tags).register(meters);
            Gauge.builder(MetricNames.BLOCKED_LONGEST, sampler, s -> s.latest(db).filter(BlockingSnapshot::available)
                    .map(b -> b.longestBlocked().map(d -> d.toMillis() / 1000.0).orElse(0.0)).orElse(Double.NaN))
                    .description(
                            "How long the longest-waiting blocked session has waited; 0 when none waits, NaN when that cannot be read")
                    .tags(tags).register(meters);
            Optional<String> deadlocks = target.kind().dialect().deadlocksCounted();
            if (deadlocks.isPresent()) {
                // The last value the server gave is kept while it cannot be asked, so the counter never drops to nothing and back.
                AtomicLong last = new AtomicLong(-1);
                FunctionCounter.builder(MetricNames.DEADLOCKS, sampler, s -> {
                    s.latest(db).filter(BlockingSnapshot::available).ifPresent(b -> b.deadlocks().ifPresent(last::set));
                    return last.get() < 0 ? Double.NaN : last.get();
                }).description(deadlocks.get()).tags(tags).register(meters);
            }
        }
    }
}
