package io.poolwatch.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.DurationHistogram;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;

/**
 * The pools' duration histograms as they are exported, read at the moment they are asked for: poolwatch's own
 * ({@code poolwatch_pool_checkout_duration_seconds}, lease, statement, connection creation; labels pool, role, workload)
 * and, unless {@code poolwatch.metrics.semantic-conventions=false}, the same checkout, lease and creation counts under
 * OpenTelemetry's names ({@code db_client_connection_wait_time_seconds}, {@code _use_time_seconds},
 * {@code _create_time_seconds}; label {@code db_client_connection_pool_name}), as Micrometer names a timer of that name.
 * <p>
 * Names and labels are Prometheus's, but no Prometheus library type appears here: {@link PrometheusHistograms} turns
 * these into a collector only where the application has a Prometheus registry.
 */
@ApplicationScoped
public class PoolHistograms {

    /** Labels of poolwatch's own histograms, in the order Micrometer writes tags (by name). */
    static final List<String> POOL_LABELS = List.of(MetricNames.POOL, MetricNames.ROLE, MetricNames.WORKLOAD);
    /** The one label of the semantic-convention histograms. */
    static final List<String> OTEL_LABELS = List.of(prometheusName(MetricNames.OTEL_POOL_NAME));

    /**
     * One histogram metric: every pool's series of it.
     *
     * @param name the Prometheus name, without {@code _bucket}, {@code _count} or {@code _sum}
     * @param labelNames the label names, the same for every series
     */
    public record Family(String name, String help, List<String> labelNames, List<Series> series) {
    }

    /** One pool's counts: its label values (in the family's label order) and a consistent reading. */
    public record Series(List<String> labelValues, DurationHistogram.Snapshot snapshot) {
    }

    private final Supplier<List<WorkloadPool>> pools;
    private final boolean semanticConventions;

    @Inject
    PoolHistograms(PoolRegistry registry, PoolwatchConfig config) {
        this(registry::pools, config.metrics().semanticConventions());
    }

    /**
     * @param pools the pools to export, asked at every reading
     * @param semanticConventions whether the OpenTelemetry-named copies are exported too
     */
    PoolHistograms(Supplier<List<WorkloadPool>> pools, boolean semanticConventions) {
        this.pools = pools;
        this.semanticConventions = semanticConventions;
    }

    /** The names of the families {@link #families()} returns, in the same order. */
    public List<String> names() {
        List<String> out = new ArrayList<>(
                List.of(MetricNames.CHECKOUT_DURATION, MetricNames.LEASE_DURATION, MetricNames.STATEMENT_DURATION,
                        MetricNames.CONNECTION_CREATE_DURATION));
        if (semanticConventions) {
            out.addAll(List.of(secondsName(MetricNames.OTEL_WAIT_TIME), secondsName(MetricNames.OTEL_USE_TIME),
                    secondsName(MetricNames.OTEL_CREATE_TIME)));
        }
        return out;
    }

    /**
     * Every family with every pool's counts as of now. Each pool's histograms are read once, so a semantic-convention
     * series carries exactly the counts of its poolwatch twin.
     */
    public List<Family> families() {
        List<WorkloadPool> pools = this.pools.get();
        List<Series> checkout = new ArrayList<>(pools.size());
        List<Series> lease = new ArrayList<>(pools.size());
        List<Series> statement = new ArrayList<>(pools.size());
        List<Series> create = new ArrayList<>(pools.size());
        List<Series> wait = new ArrayList<>(pools.size());
        List<Series> use = new ArrayList<>(pools.size());
        List<Series> otelCreate = new ArrayList<>(pools.size());
        for (WorkloadPool pool : pools) {
            List<String> labels = List.of(pool.name(), pool.settings().role().label(), pool.settings().workload());
            DurationHistogram.Snapshot c = pool.recorder().checkoutHistogram().snapshot();
            DurationHistogram.Snapshot l = pool.recorder().leaseHistogram().snapshot();
            DurationHistogram.Snapshot o = pool.recorder().creationHistogram().snapshot();
            checkout.add(new Series(labels, c));
            lease.add(new Series(labels, l));
            statement.add(new Series(labels, pool.statements().durations().snapshot()));
            create.add(new Series(labels, o));
            if (semanticConventions) {
                List<String> name = List.of(pool.name());
                wait.add(new Series(name, c));
                use.add(new Series(name, l));
                otelCreate.add(new Series(name, o));
            }
        }
        List<Family> out = new ArrayList<>(7);
        out.add(new Family(MetricNames.CHECKOUT_DURATION,
                "Time to get a connection from the pool (successful getConnection calls; every one counted, a busy pool's shape from a sample)",
                POOL_LABELS, checkout));
        out.add(new Family(MetricNames.LEASE_DURATION,
                "Time a connection is held before it is returned (every one counted, a busy pool's shape from a sample)",
                POOL_LABELS, lease));
        out.add(new Family(MetricNames.STATEMENT_DURATION, "Time to run a statement through the pool, every one", POOL_LABELS,
                statement));
        out.add(new Family(MetricNames.CONNECTION_CREATE_DURATION,
                "Time to open a physical connection to the database (successful ones)",
                POOL_LABELS, create));
        if (semanticConventions) {
            out.add(new Family(secondsName(MetricNames.OTEL_WAIT_TIME),
                    "The time it took to obtain an open connection from the pool (" + MetricNames.CHECKOUT_DURATION + ")",
                    OTEL_LABELS, wait));
            out.add(new Family(secondsName(MetricNames.OTEL_USE_TIME),
                    "The time between borrowing a connection and returning it to the pool (" + MetricNames.LEASE_DURATION + ")",
                    OTEL_LABELS,
                    use));
            out.add(new Family(secondsName(MetricNames.OTEL_CREATE_TIME),
                    "The time it took to create a new connection (" + MetricNames.CONNECTION_CREATE_DURATION + ")", OTEL_LABELS,
                    otelCreate));
        }
        return out;
    }

    /** A dotted OpenTelemetry name as Prometheus writes it: dots to underscores. */
    static String prometheusName(String otelName) {
        return otelName.replace('.', '_');
    }

    /** A dotted OpenTelemetry duration's Prometheus name, with the base unit as Micrometer appends it to a timer. */
    static String secondsName(String otelName) {
        return prometheusName(otelName) + "_seconds";
    }
}
