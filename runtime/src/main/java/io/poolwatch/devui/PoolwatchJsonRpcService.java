package io.poolwatch.devui;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.config.RootPath;
import io.poolwatch.health.PoolHealth;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;

/**
 * The Dev UI's view of the pools (dev mode only: the deployment registers it as a JSON-RPC provider of the
 * {@code poolwatch} card). Read from the same cached health the readiness probe and {@code /api/v1/health} use, so
 * calling it never touches a database.
 */
@ApplicationScoped
public class PoolwatchJsonRpcService {

    /** What the Dev UI page shows: healthy, exhausted (all connections leased and callers waiting), degraded or unhealthy. */
    public static final String HEALTHY = "healthy";
    public static final String EXHAUSTED = "exhausted";
    public static final String DEGRADED = "degraded";
    public static final String UNHEALTHY = "unhealthy";

    /**
     * One pool's row.
     *
     * @param active connections leased now
     * @param max the pool's max size
     * @param utilization active / max, 0 to 1
     * @param state healthy, exhausted, degraded (first validation pending, a replica lagging) or unhealthy (database down)
     * @param detail the health's reason and figures, as readiness reports them
     */
    public record PoolRow(String name, String workload, String role, long active, long idle, long awaiting, int max,
            double utilization, String state, String detail) {
    }

    private final PoolRegistry registry;
    private final PoolHealth health;

    PoolwatchJsonRpcService(PoolRegistry registry, PoolHealth health) {
        this.registry = registry;
        this.health = health;
    }

    /** Every pool, standard workloads first. */
    public List<PoolRow> getPools() {
        Map<String, WorkloadPool> pools = registry.pools().stream()
                .collect(Collectors.toMap(WorkloadPool::name, Function.identity(), (a, b) -> a));
        return health.pools().stream().map(s -> {
            WorkloadPool pool = pools.get(s.pool());
            long active = pool == null ? 0 : pool.recorder().leased();
            long idle = pool == null ? 0 : pool.recorder().idle();
            int max = pool == null ? 0 : pool.maxSize();
            return new PoolRow(s.pool(), s.workload(), s.role().label(), active, idle, s.awaiting(), max,
                    s.utilization(), state(s, active, max), s.detail());
        }).toList();
    }

    /** How many pools, for the card's label. */
    public String getPoolCount() {
        List<PoolHealth.PoolState> states = health.pools();
        long bad = states.stream().filter(s -> s.state() != PoolHealth.State.UP).count();
        return bad == 0 ? String.valueOf(states.size()) : states.size() + " (" + bad + " not healthy)";
    }

    /** The dashboard's path in this application ({@code poolwatch.http.root-path}), ending in '/'. */
    public String getDashboardPath() {
        return RootPath.prefix();
    }

    static String state(PoolHealth.PoolState s, long active, int max) {
        return switch (s.state()) {
            case UP -> HEALTHY;
            case DOWN -> UNHEALTHY;
            case DEGRADED -> max > 0 && active >= max && s.awaiting() > 0 ? EXHAUSTED : DEGRADED;
        };
    }
}
