package io.poolwatch.metrics;

import java.util.Optional;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.poolwatch.config.ReplicaFallback;
import io.poolwatch.engine.ReplicaLag;
import io.poolwatch.pool.ReadRouter;
import io.poolwatch.pool.ReplicaCondition;
import io.poolwatch.pool.ReplicaConditions;
import io.poolwatch.pool.ReplicaSet;
import io.poolwatch.pool.ReplicaUsability;
import io.poolwatch.sampling.ReplicaLagSampler;
import io.quarkus.runtime.StartupEvent;

/**
 * Binds read replicas and read routing to Micrometer, per replica (tags pool, workload): reachable, taking reads,
 * weight, replay lag in seconds and bytes (NaN while unknown), reads routed to it and skips by reason; per workload,
 * reads that found no usable replica, by fallback. Counters read the router's adders at scrape time; each replica's
 * pool has the pool metrics too, with role replica.
 */
@ApplicationScoped
public class ReplicaMetrics {

    private final MeterRegistry meters;
    private final ReadRouter router;
    private final ReplicaConditions conditions;
    private final ReplicaLagSampler lags;

    ReplicaMetrics(MeterRegistry meters, ReadRouter router, ReplicaConditions conditions, ReplicaLagSampler lags) {
        this.meters = meters;
        this.router = router;
        this.conditions = conditions;
        this.lags = lags;
    }

    void bind(@Observes StartupEvent event) {
        for (ReplicaSet set : router.replicaSets()) {
            for (ReplicaSet.Replica r : set.replicas()) {
                bind(set, r);
            }
            for (ReplicaFallback f : ReplicaFallback.values()) {
                FunctionCounter.builder(MetricNames.REPLICA_FALLBACKS, set, s -> s.fallbacks(f))
                        .description(
                                "Reads that found no usable replica: served by the primary pool (fallback=primary) or failed (fallback=fail)")
                        .tags(Tags.of(MetricNames.WORKLOAD, set.workload(), MetricNames.FALLBACK, f.label())).register(meters);
            }
        }
    }

    private void bind(ReplicaSet set, ReplicaSet.Replica r) {
        Tags tags = Tags.of(MetricNames.POOL, r.name(), MetricNames.WORKLOAD, set.workload());
        gauge(MetricNames.REPLICA_UP, "1 when the replica's database answered its last validation", tags, r,
                x -> conditions.of(x.pool()).reachability() == ReplicaCondition.Reachability.UP ? 1 : 0);
        gauge(MetricNames.REPLICA_ROUTABLE, "1 when the replica takes reads now (reachable, within max-lag, not exhausted)",
                tags, r,
                x -> usability(set, x) == ReplicaUsability.USABLE ? 1 : 0);
        gauge(MetricNames.REPLICA_WEIGHT, "The replica's routing weight", tags, r, ReplicaSet.Replica::weight);
        Gauge.builder(MetricNames.REPLICA_LAG_SECONDS, r, x -> lag(x).flatMap(ReplicaLag::seconds).orElse(Double.NaN))
                .description(
                        "Replay lag as the replica reports it (PostgreSQL: since the last replayed commit, 0 when caught up; "
                                + "MariaDB: Seconds_Behind_Master); NaN when unknown")
                .baseUnit("seconds").tags(tags).register(meters);
        Gauge.builder(MetricNames.REPLICA_LAG_BYTES, r,
                x -> lag(x).flatMap(ReplicaLag::bytes).map(Long::doubleValue).orElse(Double.NaN))
                .description("WAL received but not replayed (PostgreSQL); NaN when unknown").baseUnit("bytes").tags(tags)
                .register(meters);
        FunctionCounter.builder(MetricNames.REPLICA_READS, r, ReplicaSet.Replica::reads)
                .description("Reads routed to the replica").tags(tags).register(meters);
        for (ReplicaUsability reason : ReplicaUsability.values()) {
            if (reason.skip()) {
                FunctionCounter.builder(MetricNames.REPLICA_SKIPPED, r, x -> x.skipped(reason))
                        .description("Routing decisions that passed over the replica, by reason")
                        .tags(tags.and(MetricNames.REASON, reason.label()))
                        .register(meters);
            }
        }
    }

    private Optional<ReplicaLag> lag(ReplicaSet.Replica r) {
        return lags.ofPool(r.name()).filter(l -> l.state() != ReplicaLag.State.UNREACHABLE);
    }

    private ReplicaUsability usability(ReplicaSet set, ReplicaSet.Replica r) {
        return set.usability(conditions)[set.replicas().indexOf(r)];
    }

    private void gauge(String name, String help, Tags tags, ReplicaSet.Replica r, ToDoubleFunction<ReplicaSet.Replica> value) {
        Gauge.builder(name, r, value).description(help).tags(tags).register(meters);
    }
}
