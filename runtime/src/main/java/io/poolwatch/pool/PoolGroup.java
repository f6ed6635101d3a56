package io.poolwatch.pool;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.poolwatch.config.MonitoringSettings;
import io.poolwatch.config.PoolSettings;

/** The set of workload pools: opened together, looked up by name, drained and closed together. */
public final class PoolGroup implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PoolGroup.class);
    private static final long DRAIN_POLL_MILLIS = 50;

    private final Map<String, WorkloadPool> pools;
    private volatile boolean closed;

    private PoolGroup(Map<String, WorkloadPool> pools) {
        this.pools = Collections.unmodifiableMap(pools);
    }

    /** Opens a pool per settings; if one cannot be built, those already built are closed before the error is thrown. */
    public static PoolGroup open(List<PoolSettings> settings, MonitoringSettings monitoring) throws SQLException {
        return open(settings, monitoring, s -> Optional.empty(), RoleProbe.Listeners.NONE);
    }

    /** As {@link #open(List, MonitoringSettings)}, each pool's connections opened after its database's {@link MonitorGate}. */
    static PoolGroup open(List<PoolSettings> settings, MonitoringSettings monitoring,
            Function<PoolSettings, Optional<MonitorGate>> gates, RoleProbe.Listeners roleChanges) throws SQLException {
        Map<String, WorkloadPool> built = new LinkedHashMap<>();
        try {
            for (PoolSettings s : settings) {
                built.put(s.name(), PoolFactory.create(s, monitoring, gates.apply(s), false, roleChanges));
            }
        } catch (SQLException | RuntimeException e) {
            built.values().forEach(WorkloadPool::close);
            throw e;
        }
        return new PoolGroup(built);
    }

    /** The pool of a workload; {@link UnknownWorkloadException} names the defined ones otherwise. */
    public WorkloadPool get(String name) {
        WorkloadPool pool = pools.get(name);
        if (pool == null) {
            throw new UnknownWorkloadException(name, pools.keySet());
        }
        return pool;
    }

    /** Every pool, standard workloads first, each followed by its read replicas. */
    public List<WorkloadPool> all() {
        return new ArrayList<>(pools.values());
    }

    public Set<String> names() {
        return pools.keySet();
    }

    /** Connections leased across all pools. */
    public long leased() {
        return pools.values().stream().mapToLong(p -> p.recorder().leased()).sum();
    }

    /**
     * Waits until no connection is leased or {@code timeout} passes, then closes every pool.
     *
     * @return whether every lease came back in time
     */
    public boolean drainAndClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long leased = leased();
        while (leased > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            leased = leased();
        }
        if (leased > 0) {
            LOG.warnf("closing pools with %d connection(s) still leased after %s", leased, timeout);
        }
        close();
        return leased == 0;
    }

    /** Closes every pool and every connection in it. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (WorkloadPool pool : pools.values()) {
            try {
                pool.close();
            } catch (RuntimeException e) {
                LOG.warnf(e, "closing pool %s failed", pool.name());
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }
}
