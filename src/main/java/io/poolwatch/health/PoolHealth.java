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

import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The health of every pool, from cached validations and live counts only: what the readiness probe and the seed's
 * health endpoint report. Reading it never touches a database.
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
     */
    public record PoolState(String pool, boolean critical, State state, String detail, double utilization, long awaiting,
            Optional<Instant> lastSuccessfulValidation, Optional<String> error, double validationMs) {
    }

    private final PoolRegistry registry;
    private final DatabaseValidator validator;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();

    PoolHealth(PoolRegistry registry, DatabaseValidator validator) {
        this.registry = registry;
        this.validator = validator;
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

    private static PoolState state(WorkloadPool pool, Optional<DatabaseValidation> v) {
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
        return new PoolState(pool.name(), pool.settings().critical(), state, detail, utilization, awaiting, lastOk, error, ms);
    }

    /** Whether the service should receive traffic: not shutting down, and every critical pool's database answers. */
    public boolean ready(List<PoolState> pools) {
        return !shuttingDown() && pools.stream().noneMatch(p -> p.critical() && p.state() == State.DOWN);
    }
}
