package io.poolwatch.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Every pool's figures under OpenTelemetry's semantic-convention names for database connection pools
 * ({@code db.client.connection.*}, conventions v1.44.0), in the metrics registry beside poolwatch's own meters, so that
 * dashboards and alerts written for those names work on the Prometheus scrape. Each meter is a function of the same
 * recorder values {@link PoolMetrics} reads, at scrape time: nothing more is recorded on the hot path. Off with
 * {@code poolwatch.metrics.semantic-conventions=false}.
 * <p>
 * What the Agroal pools' settings mean in these terms: {@code max} is max-size; {@code idle.min} is min-size, the
 * connections Agroal keeps open (idle or not); {@code idle.max} is max-size as well, since Agroal puts no cap of its own
 * on idle connections: every open connection may be idle, and those above min-size are closed once idle for the
 * idle-removal interval.
 */
@ApplicationScoped
public class SemanticConventionMetrics {

    /** The values of {@code db.client.connection.state}. */
    public static final String IDLE = "idle";
    public static final String USED = "used";
    static final String COUNT_HELP = "Connections in the state the state attribute names: used (held by callers) or idle (open, not held)";

    private final MeterRegistry meters;
    private final PoolRegistry registry;
    private final PoolwatchConfig config;
    /** What this bound, removed at shutdown: seven meters a pool. */
    private final List<Meter> bound = new ArrayList<>();

    SemanticConventionMetrics(MeterRegistry meters, PoolRegistry registry, PoolwatchConfig config) {
        this.meters = meters;
        this.registry = registry;
        this.config = config;
    }

    void bind(@Observes StartupEvent event) {
        if (!config.metrics().semanticConventions()) {
            return;
        }
        registry.pools().forEach(this::bind);
    }

    private void bind(WorkloadPool pool) {
        Tags tags = Tags.of(MetricNames.OTEL_POOL_NAME, pool.name());
        // One description for both states: a registry keeps one per name.
        gauge(MetricNames.OTEL_COUNT, COUNT_HELP, tags.and(MetricNames.OTEL_STATE, USED), pool, p -> p.recorder().leased());
        gauge(MetricNames.OTEL_COUNT, COUNT_HELP, tags.and(MetricNames.OTEL_STATE, IDLE), pool, p -> p.recorder().idle());
        gauge(MetricNames.OTEL_MAX, "Most open connections allowed (max-size)", tags, pool, p -> p.maxSize());
        gauge(MetricNames.OTEL_IDLE_MAX, "Most idle open connections allowed (max-size: Agroal has no idle cap of its own)",
                tags,
                pool, p -> p.maxSize());
        gauge(MetricNames.OTEL_IDLE_MIN, "Fewest idle open connections kept (min-size: Agroal keeps that many open)", tags,
                pool,
                p -> p.settings().minSize());
        gauge(MetricNames.OTEL_PENDING_REQUESTS, "Callers waiting for a connection", tags, pool, p -> p.recorder().awaiting());
        bound.add(FunctionCounter.builder(MetricNames.OTEL_TIMEOUTS, pool, p -> p.recorder().counters().timeouts())
                .description("Attempts to get a connection from the pool that timed out").tags(tags).register(meters));
    }

    private void gauge(String name, String help, Tags tags, WorkloadPool pool, ToDoubleFunction<WorkloadPool> value) {
        bound.add(Gauge.builder(name, pool, value).description(help).tags(tags).register(meters));
    }

    /**
     * Last, with {@link MeterCleanup} (which removes only {@code poolwatch.*}): a meter left in a registry that outlives
     * the application would read a closed pool and keep its name from the next start's.
     */
    void unbind(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        bound.forEach(meters::remove);
        bound.clear();
    }
}
