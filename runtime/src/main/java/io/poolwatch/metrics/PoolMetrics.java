package io.poolwatch.metrics;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.poolwatch.engine.ServerRole;
import io.poolwatch.pool.Distribution;
import io.poolwatch.pool.PoolCounters;
import io.poolwatch.pool.PoolRecorder;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.RoleProbe;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.Autosizer;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.PoolSnapshot;
import io.quarkus.runtime.StartupEvent;

/**
 * Binds every pool to Micrometer, read replicas' pools included (role replica, workload of their primary). Meters are
 * functions read at scrape time: live counts from the recorders
 * (sums of adders, no database), distributions and rates from the latest snapshot. Nothing is recorded into
 * Micrometer on the hot path.
 */
@ApplicationScoped
public class PoolMetrics {

    private static final double[] QUANTILES = { 0.5, 0.95, 0.99 };

    private final MeterRegistry meters;
    private final PoolRegistry registry;
    private final PoolSampler sampler;
    private final Autosizer autosizer;

    PoolMetrics(MeterRegistry meters, PoolRegistry registry, PoolSampler sampler, Autosizer autosizer) {
        this.autosizer = autosizer;
        this.meters = meters;
        this.registry = registry;
        this.sampler = sampler;
    }

    void bind(@Observes StartupEvent event) {
        registry.pools().forEach(this::bind);
        FunctionCounter.builder(MetricNames.SAMPLING_CPU, sampler, PoolSampler::cpuSeconds)
                .description("CPU time poolwatch's pool sampling has taken (the sampling thread's own)").baseUnit("seconds")
                .register(meters);
        FunctionCounter.builder(MetricNames.SAMPLING_SNAPSHOTS, sampler, PoolSampler::snapshots)
                .description("Pool snapshots the sampling has taken, one per pool per interval").register(meters);
    }

    private void bind(WorkloadPool pool) {
        Tags tags = Tags.of(MetricNames.POOL, pool.name(), MetricNames.WORKLOAD, pool.settings().workload(), MetricNames.ROLE,
                pool.settings().role().label());
        var r = pool.recorder();
        gauge(MetricNames.ACTIVE, "Connections held by callers", tags, pool, p -> p.recorder().leased());
        gauge(MetricNames.IDLE, "Open connections not held by callers", tags, pool,
                p -> p.recorder().idle());
        gauge(MetricNames.OPEN, "Physical connections open to the database", tags, pool, p -> p.recorder().open());
        gauge(MetricNames.AWAITING, "Callers waiting for a connection", tags, pool, p -> p.recorder().awaiting());
        gauge(MetricNames.MIN, "Connections the pool keeps open (min-size)", tags, pool, p -> p.settings().minSize());
        gauge(MetricNames.MAX, "Most connections the pool opens (max-size)", tags, pool, p -> p.maxSize());
        gauge(MetricNames.PEAK, "Most connections open at once since the last reset", tags, pool, p -> p.recorder().peakOpen());
        gauge(MetricNames.UTILIZATION, "Connections held by callers / max-size", tags, pool,
                p -> (double) p.recorder().leased() / p.maxSize());
        gauge(MetricNames.ERROR_RATE, "Failed acquisitions / attempts over the error-rate window", tags, pool,
                p -> latest(p).map(PoolSnapshot::errorRate).orElse(0.0));
        gauge(MetricNames.LEAKS_CURRENT, "Connections reported as leaked and not returned", tags, pool,
                p -> p.recorder().currentLeakCount());
        if (pool.settings().tls().applicable()) {
            gauge(MetricNames.TLS_ENCRYPTED,
                    "1 when the server reports the pool's latest connection encrypted, 0 when not, NaN before one",
                    tags, pool, p -> p.tls().encrypted().map(e -> e ? 1.0 : 0.0).orElse(Double.NaN));
        }
        gauge(MetricNames.PRIMARY_READ_ONLY,
                "1 when the pool writes and its server refuses writes (primary is read-only), as its connections found",
                tags, pool, p -> p.roles().primaryReadOnly() ? 1.0 : 0.0);
        if (pool.settings().url().kind().dialect().readOnlyQuery().isPresent()) {
            gauge(MetricNames.SERVER_READ_ONLY,
                    "1 when the pool's server refuses writes (a standby, read_only), 0 when it takes them, NaN before it said",
                    tags, pool, p -> p.roles().reading().map(x -> x.role() == ServerRole.READ_ONLY ? 1.0 : 0.0)
                            .orElse(Double.NaN));
            FunctionCounter.builder(MetricNames.SERVER_ROLE_CHANGES, pool,
                    p -> p.roles().latest().map(RoleProbe.Reading::changes).orElse(0L))
                    .description("Changes of the pool's server between taking and refusing writes").tags(tags)
                    .register(meters);
        }
        if (pool.settings().url().kind().dialect().serverIdentityQuery().isPresent()) {
            FunctionCounter.builder(MetricNames.SERVER_CHANGES, pool, p -> p.roles().serverChanges())
                    .description("Changes of the server behind a pool that writes: failovers, and on PostgreSQL restarts")
                    .tags(tags).register(meters);
        }
        if (!pool.settings().replica()) {
            String name = pool.name();
            FunctionCounter.builder(MetricNames.AUTOSIZE_CHANGES, autosizer, a -> a.raises(name))
                    .description("Changes of the pool's max-size autosizing made (mode on) or recommended (dry-run)")
                    .tags(tags.and(MetricNames.DIRECTION, "raise")).register(meters);
            FunctionCounter.builder(MetricNames.AUTOSIZE_CHANGES, autosizer, a -> a.lowers(name))
                    .description("Changes of the pool's max-size autosizing made (mode on) or recommended (dry-run)")
                    .tags(tags.and(MetricNames.DIRECTION, "lower")).register(meters);
            Gauge.builder(MetricNames.AUTOSIZE_ALLOWED, autosizer, a -> a.latest(name)
                    .filter(d -> d.allowed().isPresent()).map(d -> (double) d.allowed().getAsInt()).orElse(Double.NaN))
                    .description("The most max-size the server's connection budget leaves the pool now; NaN when not known")
                    .tags(tags).register(meters);
            Gauge.builder(MetricNames.AUTOSIZE_TARGET, autosizer, a -> a.latest(name).map(d -> (double) d.to())
                    .orElse(Double.NaN))
                    .description("The max-size autosizing's latest answer wants (the recommendation when off or in dry-run)")
                    .tags(tags).register(meters);
        }
        distribution(MetricNames.CHECKOUT, MetricNames.CHECKOUT_MAX, MetricNames.CHECKOUT_DURATION,
                "Time to get a connection from the pool",
                tags, pool, PoolSnapshot::checkout);
        distribution(MetricNames.LEASE, MetricNames.LEASE_MAX, MetricNames.LEASE_DURATION,
                "Time a connection is held before it is returned",
                tags, pool, PoolSnapshot::lease);

        counter(MetricNames.ACQUISITIONS, "Connections handed out", tags, r, c -> c.acquired());
        counter(MetricNames.ACQUISITION_FAILURES, "getConnection calls that failed, timeouts included", tags, r,
                c -> c.failures());
        counter(MetricNames.ACQUISITION_TIMEOUTS, "getConnection calls that timed out waiting", tags, r, c -> c.timeouts());
        counter(MetricNames.CREATED, "Physical connections opened", tags, r, c -> c.created());
        counter(MetricNames.DESTROYED, "Physical connections closed", tags, r, c -> c.destroyed());
        counter(MetricNames.INVALID, "Connections found broken by validation", tags, r, c -> c.invalid());
        counter(MetricNames.REAPED, "Idle connections closed by idle removal", tags, r, c -> c.reaped());
        counter(MetricNames.CREATION_FAILURES, "Failed attempts to open a physical connection", tags, r,
                c -> c.creationFailures());
        counter(MetricNames.LEAKS, "Connections reported as leaked (once each)", tags, r, c -> c.leaks());
        FunctionCounter.builder(MetricNames.STATEMENTS, pool, p -> p.statements().statements())
                .description("Statements run through the pool").tags(tags).register(meters);
        FunctionCounter.builder(MetricNames.STATEMENT_SECONDS, pool, p -> p.statements().totalNanos() / 1e9)
                .description("Time spent running statements").tags(tags).baseUnit("seconds").register(meters);
        FunctionCounter.builder(MetricNames.SLOW_STATEMENTS, pool, p -> p.statements().slowStatements())
                .description("Statements over the slow-query threshold").tags(tags).register(meters);
    }

    private Optional<PoolSnapshot> latest(WorkloadPool pool) {
        return sampler.latest(pool.name());
    }

    private void gauge(String name, String help, Tags tags, WorkloadPool pool, ToDoubleFunction<WorkloadPool> value) {
        Gauge.builder(name, pool, value).description(help).tags(tags).register(meters);
    }

    private void counter(String name, String help, Tags tags, PoolRecorder recorder,
            ToDoubleFunction<PoolCounters> value) {
        FunctionCounter.builder(name, recorder, r -> value.applyAsDouble(r.counters())).description(help).tags(tags)
                .register(meters);
    }

    /**
     * Quantiles of this process's last sampling interval as gauges with a quantile tag, and the interval's maximum: the
     * pool's recent state on this pod, to HdrHistogram's one significant digit (within 3.2 %). Quantiles cannot be added up
     * across pods; the
     * {@code *_duration_seconds} histograms ({@link PoolHistograms}) can.
     */
    private void distribution(String name, String maxName, String histogram, String help, Tags tags, WorkloadPool pool,
            Function<PoolSnapshot, Distribution> which) {
        for (double q : QUANTILES) {
            gauge(name,
                    help + " on this process, last sampling interval (sampled); across processes use " + histogram + "_bucket",
                    tags.and(MetricNames.QUANTILE, Double.toString(q)), pool,
                    p -> latest(p).map(which).map(d -> quantile(d, q) / 1000.0).orElse(0.0));
        }
        gauge(maxName, help + ", maximum in the last sampling interval", tags, pool,
                p -> latest(p).map(which).map(d -> d.max() / 1000.0).orElse(0.0));
    }

    private static double quantile(Distribution d, double q) {
        return q == 0.5 ? d.p50() : q == 0.95 ? d.p95() : d.p99();
    }
}
