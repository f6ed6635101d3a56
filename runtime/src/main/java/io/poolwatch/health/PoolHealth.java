package io.poolwatch.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolRole;
import io.poolwatch.config.ReplicaFallback;
import io.poolwatch.engine.ReplicaLag;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.ReadRouter;
import io.poolwatch.pool.ReplicaSet;
import io.poolwatch.pool.ReplicaUsability;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.ReplicaLagSampler;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The health of every pool, from cached validations and live counts only: what the readiness probe and the seed's
 * health endpoint report. Reading it never touches a database. A read replica's pool is never critical: its database
 * down, or its lag over max-lag, degrades reads (they go elsewhere) and is alerted on, but never makes readiness DOWN.
 */
@ApplicationScoped
public class PoolHealth {

    private static final Logger LOG = Logger.getLogger(PoolHealth.class);

    /** A pool's state for the probes. */
    public enum State {
        /** Its database answers and the pool serves. */
        UP,
        /**
         * Its database answers but callers wait for connections (exhausted), the server is saturated (it refuses new
         * connections for lack of slots), poolwatch's validation failed while the workloads prove the database answers, or
         * the first validation is pending.
         */
        DEGRADED,
        /** Its database does not answer. */
        DOWN
    }

    /**
     * One pool's health.
     *
     * @param detail what an operator reads: the state's reason and the figures behind it
     * @param workload the workload the pool serves (for a replica's pool, the workload it is a replica of)
     * @param role primary or replica
     * @param saturation when the pool's database server refuses connections for lack of slots (its refusal of
     *        poolwatch's monitoring connection, or of a workload's within the evidence window): the code and the server's
     *        words
     * @param primaryReadOnly whether the pool may write and its server refuses writes ("primary is read-only": DOWN, as
     *        every write fails)
     */
    public record PoolState(String pool, boolean critical, State state, String detail, double utilization, long awaiting,
            Optional<Instant> lastSuccessfulValidation, Optional<String> error, double validationMs, String workload,
            PoolRole role,
            Optional<String> saturation, boolean primaryReadOnly) {

        /**
         * The state readiness reports: a replica whose database is down is DEGRADED there, since its reads go to the
         * other replicas or the primary; for every other pool, its state.
         */
        public State readiness() {
            return PoolRole.REPLICA == role && state == State.DOWN ? State.DEGRADED : state;
        }
    }

    private final PoolRegistry registry;
    private final DatabaseValidator validator;
    private final ReplicaLagSampler lags;
    private final ReadRouter reads;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    PoolHealth(PoolRegistry registry, DatabaseValidator validator, ReplicaLagSampler lags, ReadRouter reads) {
        this.registry = registry;
        this.validator = validator;
        this.lags = lags;
        this.reads = reads;
    }

    /** Runs before anything else at shutdown, so readiness is DOWN before work drains and pools close. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        shuttingDown.set(true);
        LOG.info("shutting down: readiness is DOWN");
    }

    public boolean shuttingDown() {
        return shuttingDown.get();
    }

    /** Every pool's state, standard workloads first. */
    public List<PoolState> pools() {
        Map<String, MonitorTarget> targetOf = new HashMap<>();
        for (MonitorTarget target : registry.monitorTargets()) {
            target.pools().forEach(p -> targetOf.put(p, target));
        }
        Map<String, Optional<WorkloadEvidence>> evidence = new HashMap<>();
        List<PoolState> out = new ArrayList<>();
        for (WorkloadPool pool : registry.pools()) {
            MonitorTarget target = targetOf.get(pool.name());
            // A pool whose monitoring connection could not be created cannot be validated: it still gets its entry.
            Optional<DatabaseValidation> v = target == null
                    ? Optional.of(new DatabaseValidation(pool.settings().url().label(), false, Instant.now(), Optional.empty(),
                            Optional.of("no monitoring connection to validate it with"), 0))
                    : validator.result(target.database());
            Optional<WorkloadEvidence> proof = target == null ? Optional.empty()
                    : evidence.computeIfAbsent(target.database(), validator::evidence);
            Optional<String> refused = target == null ? Optional.empty()
                    : target.gate().lastRefusal().filter(r -> !r.at().isBefore(Instant.now().minus(validator.evidenceWindow())))
                            .map(r -> r.describe() + " (refused " + r.refused() + ")");
            out.add(state(pool, v, proof, refused, pool.roles().primaryReadOnly()));
        }
        return out;
    }

    /**
     * Per workload with read replicas, how many take reads now and why the others do not: "1 of 2 usable;
     * main-replica-1 unreachable (...)". From cached health only.
     */
    public Map<String, String> readReplicas() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ReplicaSet set : reads.replicaSets()) {
            List<ReadRouter.ReplicaStatus> status = reads.status(set.workload());
            long usable = status.stream().filter(r -> r.usability() == ReplicaUsability.USABLE).count();
            StringBuilder sb = new StringBuilder(usable + " of " + status.size() + " usable");
            status.stream().filter(r -> r.usability() != ReplicaUsability.USABLE)
                    .forEach(r -> sb.append("; ").append(r.replica().name()).append(' ').append(r.description()));
            if (usable == 0) {
                sb.append("; reads ").append(set.routing().fallback() == ReplicaFallback.PRIMARY
                        ? "go to " + set.primary().name()
                        : "fail (read-routing.fallback=fail)");
            }
            out.put(set.workload(), sb.toString());
        }
        return out;
    }

    private PoolState state(WorkloadPool pool, Optional<DatabaseValidation> v, Optional<WorkloadEvidence> proof,
            Optional<String> refused, boolean primaryReadOnly) {
        PoolState own = stateOf(pool, v, proof, refused, primaryReadOnly);
        if (!pool.settings().replica()) {
            return own;
        }
        // A replica's own trouble degrades reads only; say what routing makes of it.
        String of = "replica of " + pool.settings().workload() + ": ";
        State state = own.state();
        String detail = own.detail();
        if (state == State.DOWN) {
            detail = detail + "; reads skip it";
        } else {
            Optional<ReplicaLag> lag = lags.ofPool(pool.name());
            Optional<Duration> maxLag = pool.settings().readRouting().maxLag();
            Optional<Double> seconds = lag.flatMap(ReplicaLag::seconds);
            if (maxLag.isPresent() && seconds.isPresent() && seconds.get() > maxLag.get().toNanos() / 1e9) {
                state = State.DEGRADED;
                detail = String.format(Locale.ROOT, "replay lag %.1fs over max-lag %s; reads skip it; %s", seconds.get(),
                        Durations.format(maxLag.get()), detail);
            } else if (lag.isPresent() && lag.get().replicationStopped()) {
                state = State.DEGRADED;
                detail = "replication stopped (" + lag.get().detail() + "); " + detail;
            }
        }
        return new PoolState(own.pool(), own.critical(), state, of + detail, own.utilization(), own.awaiting(),
                own.lastSuccessfulValidation(), own.error(), own.validationMs(), own.workload(), own.role(), own.saturation(),
                own.primaryReadOnly());
    }

    /**
     * One pool's state. A failed validation makes it DOWN, as quickly as the validator notices, except where the
     * database has shown it answers:
     * <ul>
     * <li>the server refused poolwatch's monitoring connection for lack of slots (53300, 1040): the server answered,
     * it is saturated; DEGRADED, with what the workloads completed in the evidence window;</li>
     * <li>the workloads on the database completed statements after the failing validation attempt began, the last within
     * the evidence window ({@link DatabaseValidator#evidenceWindow()}): DEGRADED. A killed or frozen server completes
     * nothing after the attempt that finds it so began, so it is DOWN as soon as that attempt fails.</li>
     * </ul>
     * A server that refused a workload's connection for lack of slots within the window, while the monitoring connection
     * still validates, makes the pool DEGRADED (its pool cannot grow), like an exhausted one.
     */
    private static PoolState stateOf(WorkloadPool pool, Optional<DatabaseValidation> v, Optional<WorkloadEvidence> proof,
            Optional<String> refused, boolean primaryReadOnly) {
        long active = pool.recorder().leased();
        long awaiting = pool.recorder().awaiting();
        double utilization = (double) active / pool.maxSize();
        Optional<Instant> lastOk = v.flatMap(DatabaseValidation::lastSuccess);
        Optional<String> error = v.flatMap(DatabaseValidation::error);
        double ms = v.map(DatabaseValidation::queryTimeMs).orElse(0.0);
        String figures = String.format("utilization %.2f, %d waiting", utilization, awaiting);
        State state;
        String detail;
        if (v.isEmpty()) {
            state = State.DEGRADED;
            detail = "first validation pending; " + figures;
        } else if (!v.get().reachable() && v.get().saturation().isPresent()) {
            state = State.DEGRADED;
            detail = "server saturated: monitoring connection refused (" + v.get().saturation().get() + ")"
                    + proof.map(p -> "; " + p.describe()).orElse("") + "; " + figures;
        } else if (!v.get().reachable() && proof.isPresent() && proof.get().answersSinceAttempt()) {
            state = State.DEGRADED;
            detail = "monitoring validation failed (" + error.orElse("") + ") but the database answers: "
                    + proof.get().describe() + "; "
                    + figures;
        } else if (!v.get().reachable()) {
            state = State.DOWN;
            detail = "database unreachable: " + error.orElse("") + "; " + figures;
        } else if (primaryReadOnly) {
            state = State.DOWN;
            detail = "primary is read-only: its server refuses writes"
                    + pool.roles().latest().map(r -> " since " + r.since()).orElse(" (said to the monitoring connection)")
                    + ", so every write fails; " + figures;
        } else if (active >= pool.maxSize() && awaiting > 0) {
            state = State.DEGRADED;
            detail = "exhausted: " + figures + refused.map(r -> "; server saturated: " + r).orElse("");
        } else if (refused.isPresent()) {
            state = State.DEGRADED;
            detail = "server saturated: new connections refused, " + refused.get()
                    + proof.map(p -> "; " + p.describe()).orElse("") + "; "
                    + figures;
        } else {
            state = State.UP;
            detail = figures;
        }
        Optional<String> saturation = v.flatMap(DatabaseValidation::saturation).or(() -> refused);
        return new PoolState(pool.name(), pool.settings().critical(), state, detail, utilization, awaiting, lastOk, error, ms,
                pool.settings().workload(), pool.settings().role(), saturation, primaryReadOnly);
    }

    /**
     * Whether the service should receive traffic: not shutting down, and every critical pool's database answers and, where
     * the pool writes, takes writes.
     */
    public boolean ready(List<PoolState> pools) {
        return !shuttingDown() && pools.stream().noneMatch(p -> p.critical() && p.state() == State.DOWN);
    }
}
