package io.poolwatch.health;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.poolwatch.config.PoolSettings;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.ReadRouter;
import io.poolwatch.pool.ReplicaSet;
import io.poolwatch.pool.ReplicaUsability;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.ReplicaLag;
import io.poolwatch.sampling.ReplicaLagSampler;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The health of every pool, from cached validations and live counts only: what the readiness probe and the seed's
 * health endpoint report. Reading it never touches a database. A read replica's pool is never critical: its database
 * down, or its lag over max-lag, degrades reads (they go elsewhere) and is alerted on, but never makes readiness DOWN.
 */
@ApplicationScoped
public class PoolHealth {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PoolHealth.class);

    /** A pool's state for the probes. */
    public enum State {
        /** Its database answers and the pool serves. */
        UP,
        /** Its database answers but callers wait for connections (exhausted), or the first validation is pending. */
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
     */
    public record PoolState(String pool, boolean critical, State state, String detail, double utilization, long awaiting,
            Optional<Instant> lastSuccessfulValidation, Optional<String> error, double validationMs, String workload, String role) {

        /**
         * The state readiness reports: a replica whose database is down is DEGRADED there, since its reads go to the
         * other replicas or the primary; for every other pool, its state.
         */
        public State readiness() {
            return PoolSettings.REPLICA.equals(role) && state == State.DOWN ? State.DEGRADED : state;
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
        Map<String, String> databaseOf = new HashMap<>();
        for (MonitorTarget target : registry.monitorTargets()) {
            target.pools().forEach(p -> databaseOf.put(p, target.database()));
        }
        List<PoolState> out = new ArrayList<>();
        for (WorkloadPool pool : registry.pools()) {
            String database = databaseOf.get(pool.name());
            // A pool whose monitoring connection could not be created cannot be validated: it still gets its entry.
            Optional<DatabaseValidation> v = database == null
                    ? Optional.of(new DatabaseValidation(pool.settings().url().label(), false, Instant.now(), Optional.empty(),
                            Optional.of("no monitoring connection to validate it with"), 0))
                    : validator.result(database);
            out.add(state(pool, v));
        }
        return out;
    }

    /**
     * Per workload with read replicas, how many take reads now and why the others do not: "1 of 2 usable;
     * main-replica-1 unreachable (...)". From cached health only.
     */
    public Map<String, String> readReplicas() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (ReplicaSet set : reads.replicaSets()) {
            List<ReadRouter.ReplicaStatus> status = reads.status(set.workload());
            long usable = status.stream().filter(r -> r.usability() == ReplicaUsability.USABLE).count();
            StringBuilder sb = new StringBuilder(usable + " of " + status.size() + " usable");
            status.stream().filter(r -> r.usability() != ReplicaUsability.USABLE)
                    .forEach(r -> sb.append("; ").append(r.replica().name()).append(' ').append(r.description()));
            if (usable == 0) {
                sb.append("; reads ").append(set.routing().fallback() == io.poolwatch.config.ReplicaFallback.PRIMARY
                        ? "go to " + set.primary().name() : "fail (read-routing.fallback=fail)");
            }
            out.put(set.workload(), sb.toString());
        }
        return out;
    }

    private PoolState state(WorkloadPool pool, Optional<DatabaseValidation> v) {
        PoolState own = stateOf(pool, v);
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
            Optional<java.time.Duration> maxLag = pool.settings().readRouting().maxLag();
            Optional<Double> seconds = lag.flatMap(ReplicaLag::seconds);
            if (maxLag.isPresent() && seconds.isPresent() && seconds.get() > maxLag.get().toNanos() / 1e9) {
                state = State.DEGRADED;
                detail = String.format(java.util.Locale.ROOT, "replay lag %.1fs over max-lag %s; reads skip it; %s", seconds.get(),
                        io.poolwatch.config.Durations.format(maxLag.get()), detail);
            } else if (lag.isPresent() && lag.get().replicationStopped()) {
                state = State.DEGRADED;
                detail = "replication stopped (" + lag.get().detail() + "); " + detail;
            }
        }
        return new PoolState(own.pool(), own.critical(), state, of + detail, own.utilization(), own.awaiting(),
                own.lastSuccessfulValidation(), own.error(), own.validationMs(), own.workload(), own.role());
    }

    private static PoolState stateOf(WorkloadPool pool, Optional<DatabaseValidation> v) {
        long active = pool.recorder().leased();
        long awaiting = pool.recorder().awaiting();
        double utilization = (double) active / pool.settings().maxSize();
        Optional<Instant> lastOk = v.flatMap(DatabaseValidation::lastSuccess);
        Optional<String> error = v.flatMap(DatabaseValidation::error);
        double ms = v.map(DatabaseValidation::queryTimeMs).orElse(0.0);
        String figures = String.format("utilization %.2f, %d waiting", utilization, awaiting);
        State state;
        String detail;
        if (v.isEmpty()) {
            state = State.DEGRADED;
            detail = "first validation pending; " + figures;
        } else if (!v.get().reachable()) {
            state = State.DOWN;
            detail = "database unreachable: " + error.orElse("") + "; " + figures;
        } else if (active >= pool.settings().maxSize() && awaiting > 0) {
            state = State.DEGRADED;
            detail = "exhausted: " + figures;
        } else {
            state = State.UP;
            detail = figures;
        }
        return new PoolState(pool.name(), pool.settings().critical(), state, detail, utilization, awaiting, lastOk, error, ms,
                pool.settings().workload(), pool.settings().role());
    }

    /** Whether the service should receive traffic: not shutting down, and every critical pool's database answers. */
    public boolean ready(List<PoolState> pools) {
        return !shuttingDown() && pools.stream().noneMatch(p -> p.critical() && p.state() == State.DOWN);
    }
}
