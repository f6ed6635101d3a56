package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.ReadStrategy;
import io.poolwatch.config.ReplicaFallback;
import io.poolwatch.config.ReplicaSettings;

/**
 * Routes a workload's reads over its read replicas: round-robin or smooth weighted round-robin, skipping replicas
 * whose database does not answer its validation, whose replay lag is over {@code read-routing.max-lag}, whose pool is
 * exhausted, or which failed to hand out a connection since their last validation. When none is usable a read goes to
 * the workload's own pool, or fails, as {@code read-routing.fallback} says; either way it is counted. A replica that
 * recovers takes reads again from its next successful validation.
 *
 * <pre>{@code
 * &#64;Inject ReadRouter reads;
 * try (Connection c = reads.connection("main")) { ... }      // the workload's configured strategy
 * DataSource ds = reads.dataSource("main", ReadStrategy.ROUND_ROBIN);   // routes every getConnection
 * }</pre>
 *
 * A workload without replicas reads from its own pool. Routing decisions read cached health only: no database is
 * consulted before the chosen pool's getConnection.
 */
@ApplicationScoped
public class ReadRouter {

    private static final Logger LOG = Logger.getLogger(ReadRouter.class);

    private final Function<String, WorkloadPool> pools;
    private final ReplicaConditions conditions;
    private final Map<String, ReplicaSet> sets;
    private final Clock clock;

    @Inject
    ReadRouter(PoolRegistry registry, ReplicaConditions conditions) {
        this(registry::pool, conditions, replicaSets(registry), Clock.systemUTC());
    }

    ReadRouter(Function<String, WorkloadPool> pools, ReplicaConditions conditions, Map<String, ReplicaSet> sets, Clock clock) {
        this.pools = pools;
        this.conditions = conditions;
        // Configuration order, as everywhere pools are listed.
        this.sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
        this.clock = clock;
    }

    private static Map<String, ReplicaSet> replicaSets(PoolRegistry registry) {
        Map<String, ReplicaSet> sets = new LinkedHashMap<>();
        for (PoolSettings w : registry.configuration().pools()) {
            if (w.replicas().isEmpty()) {
                continue;
            }
            List<ReplicaSet.Replica> replicas = new ArrayList<>();
            for (ReplicaSettings r : w.replicas()) {
                replicas.add(new ReplicaSet.Replica(r, registry.pool(r.name())));
            }
            sets.put(w.name(), new ReplicaSet(w.name(), registry.pool(w.name()), w.readRouting(), replicas));
        }
        return sets;
    }

    /** A connection for a read of {@code workload}, routed by the workload's configured strategy. */
    public Connection connection(String workload) throws SQLException {
        return connection(workload, (ReadStrategy) null);
    }

    /** A connection for a read of {@code workload}, routed by {@code strategy} (the seed's names: round-robin, weighted). */
    public Connection connection(String workload, String strategy) throws SQLException {
        return connection(workload, ReadStrategy.parse(strategy));
    }

    /**
     * A connection for a read of {@code workload}, routed by {@code strategy} (null: the workload's own). A replica whose
     * pool fails to hand one out is passed over for this read and until its next successful validation.
     *
     * @throws ReplicaUnavailableException when no replica is usable and the workload's fallback is {@code fail}
     * @throws UnknownWorkloadException when there is no such workload
     */
    public Connection connection(String workload, ReadStrategy strategy) throws SQLException {
        ReplicaSet set = sets.get(workload);
        if (set == null) {
            return pools.apply(workload).dataSource().getConnection();
        }
        ReadStrategy s = strategy == null ? set.routing().strategy() : strategy;
        Set<ReplicaSet.Replica> tried = new HashSet<>(2);
        SQLException lastError = null;
        while (true) {
            ReplicaSet.Choice choice = set.choose(s, conditions, tried, tried.isEmpty());
            ReplicaSet.Replica r = choice.replica();
            if (r == null) {
                String reasons = set.reasons(choice, conditions);
                set.fellBack(reasons);
                if (set.routing().fallback() == ReplicaFallback.FAIL) {
                    throw new ReplicaUnavailableException(workload, reasons, lastError);
                }
                return set.primary().dataSource().getConnection();
            }
            try {
                Connection c = r.pool().dataSource().getConnection();
                set.served(r);
                return c;
            } catch (SQLException e) {
                r.failed(clock.instant(), e.getMessage());
                LOG.debugf("replica %s of %s failed to hand out a connection, trying another: %s", r.name(), workload,
                        e.getMessage());
                tried.add(r);
                lastError = e;
            }
        }
    }

    /** A DataSource whose every getConnection is a read of {@code workload} routed by its configured strategy. */
    public DataSource dataSource(String workload) {
        return dataSource(workload, null);
    }

    /** A DataSource whose every getConnection is a read of {@code workload} routed by {@code strategy}. */
    public DataSource dataSource(String workload, ReadStrategy strategy) {
        pools.apply(workload);
        return new RoutingDataSource(this, workload, strategy);
    }

    /** Where the next read of {@code workload} goes by its configured strategy; see {@link #route(String, ReadStrategy)}. */
    public ReadRoute route(String workload) throws SQLException {
        return route(workload, null);
    }

    /**
     * Where the next read of {@code workload} goes: the seed's {@code get_read_replica(strategy=...)}. Counts as a read of
     * the pool chosen (or as a fallback) and moves the rotation on, as a read does.
     *
     * @throws ReplicaUnavailableException when no replica is usable and the workload's fallback is {@code fail}
     */
    public ReadRoute route(String workload, ReadStrategy strategy) throws SQLException {
        ReplicaSet set = sets.get(workload);
        if (set == null) {
            WorkloadPool own = pools.apply(workload);
            return route(workload, own, Optional.empty());
        }
        ReplicaSet.Choice choice = set.choose(strategy == null ? set.routing().strategy() : strategy, conditions, Set.of(),
                true);
        if (choice.replica() != null) {
            set.served(choice.replica());
            return route(workload, choice.replica().pool(), Optional.empty());
        }
        String reasons = set.reasons(choice, conditions);
        set.fellBack(reasons);
        if (set.routing().fallback() == ReplicaFallback.FAIL) {
            throw new ReplicaUnavailableException(workload, reasons, null);
        }
        return route(workload, set.primary(), Optional.of("no replica is usable: " + reasons));
    }

    private static ReadRoute route(String workload, WorkloadPool pool, Optional<String> fallbackReason) {
        PoolSettings s = pool.settings();
        return new ReadRoute(workload, pool.name(), s.role(), s.url().label(), s.url().masked(), pool.dataSource(),
                fallbackReason);
    }

    /** The replicas of a workload, empty when it has none. */
    public Optional<ReplicaSet> replicas(String workload) {
        pools.apply(workload);
        return Optional.ofNullable(sets.get(workload));
    }

    /** Every workload's replicas, for metrics and the API. */
    public List<ReplicaSet> replicaSets() {
        return List.copyOf(sets.values());
    }

    /** Each replica's state now, with the reason in words; reads cached health only. */
    public List<ReplicaStatus> status(String workload) {
        ReplicaSet set = replicas(workload).orElse(null);
        if (set == null) {
            return List.of();
        }
        ReplicaUsability[] u = set.usability(conditions);
        List<ReplicaStatus> out = new ArrayList<>();
        for (int i = 0; i < u.length; i++) {
            ReplicaSet.Replica r = set.replicas().get(i);
            ReplicaCondition c = conditions.of(r.pool());
            out.add(new ReplicaStatus(r, u[i], set.describe(r, u[i], c), c));
        }
        return out;
    }

    /**
     * One replica's state for the API and the metrics.
     *
     * @param replica the replica, with its settings, pool and counts
     * @param usability whether it takes reads now
     * @param description the state in words, with its reason
     * @param condition its database's latest validation and lag
     */
    public record ReplicaStatus(ReplicaSet.Replica replica, ReplicaUsability usability, String description,
            ReplicaCondition condition) {
    }
}
