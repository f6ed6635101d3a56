package io.poolwatch.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.ReplicaFallback;
import io.poolwatch.engine.ReplicaLag;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.ReadRouter;
import io.poolwatch.pool.ReplicaSet;
import io.poolwatch.pool.ReplicaUsability;
import io.poolwatch.sampling.ReplicaLagReader;
import io.poolwatch.sampling.ReplicaLagSampler;

/**
 * Read replicas as JSON: for each workload with replicas, its routing settings, each replica's state (taking reads or
 * why not), replay lag and counts, reads that fell back, and what the primary reports about its standbys. From cached
 * health and samples only.
 */
@Singleton
@RootedPath("/api/v1/replicas")
@Produces(MediaType.APPLICATION_JSON)
public class ReplicaResource {

    private final PoolRegistry registry;
    private final ReadRouter router;
    private final ReplicaLagSampler lags;

    ReplicaResource(PoolRegistry registry, ReadRouter router, ReplicaLagSampler lags) {
        this.registry = registry;
        this.router = router;
        this.lags = lags;
    }

    /** Every workload that has read replicas. */
    @GET
    public List<WorkloadReplicas> list() {
        return router.replicaSets().stream().map(s -> view(s.workload())).toList();
    }

    /** One workload's replicas (an empty list for a workload without any); 404 for an unknown workload. */
    @GET
    @Path("{workload}")
    public WorkloadReplicas get(@PathParam("workload") String workload) {
        return view(workload);
    }

    private WorkloadReplicas view(String workload) {
        PoolSettings s = registry.pool(workload).settings();
        ReplicaSet set = router.replicas(workload).orElse(null);
        List<ReplicaView> replicas = new ArrayList<>();
        for (ReadRouter.ReplicaStatus status : router.status(workload)) {
            ReplicaSet.Replica r = status.replica();
            LagView lag = lags.ofPool(r.name()).map(LagView::of).orElse(null);
            Map<String, Long> skipped = new LinkedHashMap<>();
            for (ReplicaUsability u : ReplicaUsability.values()) {
                if (u.skip()) {
                    skipped.put(u.label(), r.skipped(u));
                }
            }
            replicas.add(new ReplicaView(r.name(), r.settings().index(), r.settings().url().masked(),
                    r.settings().url().label(), r.weight(),
                    status.usability() == ReplicaUsability.USABLE, status.usability().label(), status.description(),
                    status.condition().reachability().name().toLowerCase(Locale.ROOT),
                    status.condition().lastValidated().orElse(null),
                    lag, r.reads(), skipped, r.lastFailure().orElse(null), r.lastFailureMessage().orElse(null)));
        }
        Map<String, Long> fallbacks = new LinkedHashMap<>();
        for (ReplicaFallback f : ReplicaFallback.values()) {
            fallbacks.put(f.label(), set == null ? 0 : set.fallbacks(f));
        }
        ReplicaLagReader.PrimaryView primary = set == null ? null : lags.primary(s.url().label()).orElse(null);
        return new WorkloadReplicas(workload, s.name(), s.readRouting().strategy().label(),
                s.readRouting().maxLag().map(Durations::format).orElse("none"), s.readRouting().fallback().label(),
                replicas.stream().filter(ReplicaView::usable).count(), fallbacks, replicas, primary);
    }

    /**
     * One workload's read replicas.
     *
     * @param primaryPool the workload's own pool, which serves reads on fallback
     * @param usable replicas taking reads now
     * @param fallbacks reads that found no usable replica, by the fallback applied (primary: served by the primary pool)
     * @param primary what the primary reports about its standbys (PostgreSQL pg_stat_replication)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkloadReplicas(String workload, String primaryPool, String strategy, String maxLag, String fallback,
            long usable,
            Map<String, Long> fallbacks, List<ReplicaView> replicas, ReplicaLagReader.PrimaryView primary) {
    }

    /**
     * One replica.
     *
     * @param state usable, or why it takes no reads: drained (weight 0), pending, unreachable, failed, lagging, exhausted
     * @param detail the state in words, with its reason
     * @param reachability up, down, or pending (its database's last validation)
     * @param reads reads routed to it
     * @param skipped routing decisions that passed over it, by reason
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReplicaView(String pool, int index, String url, String database, int weight, boolean usable, String state,
            String detail,
            String reachability, Instant lastValidated, LagView lag, long reads, Map<String, Long> skipped, Instant lastFailure,
            String lastFailureMessage) {
    }

    /**
     * A replica's replay lag as it reported it.
     *
     * @param state streaming, paused, not-streaming, stopped, not-a-replica, unknown or unreachable
     * @param seconds replay lag in seconds, absent when unknown
     * @param bytes WAL received but not replayed (PostgreSQL), absent when unknown
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LagView(String state, Double seconds, Long bytes, Instant readAt, String detail) {

        static LagView of(ReplicaLag l) {
            return new LagView(l.state().label(), l.seconds().orElse(null), l.bytes().orElse(null), l.readAt(), l.detail());
        }
    }
}
