package io.poolwatch.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.poolwatch.observed.PgBouncerDefinition;
import io.poolwatch.observed.PgBouncerPool;
import io.poolwatch.observed.PgBouncerReading;
import io.poolwatch.observed.PgBouncerSampler;
import io.poolwatch.observed.PgBouncerSnapshot;
import io.quarkus.runtime.StartupEvent;

/**
 * Binds each PgBouncer's latest console reading to Micrometer: {@code poolwatch.pgbouncer.up} and its client
 * connections against {@code max_client_conn} per PgBouncer, and one set of gauges per pool (tags pgbouncer, database,
 * user).
 * <p>
 * Pools come and go with PgBouncer's clients, so their gauges are registered as pools first appear (at most
 * {@value #MAX_POOLS_WITH_METERS} per PgBouncer) and removed once a pool has been missing from
 * {@value #GONE_AFTER_SAMPLES} readings in a row, so the label set stays bounded without a pool that blinks losing its
 * series. A PgBouncer that cannot be read is down, not idle: its gauges read NaN (no sample in Prometheus), only
 * {@code up} reads 0.
 */
@ApplicationScoped
public class PgBouncerMetrics {

    private static final Logger LOG = Logger.getLogger(PgBouncerMetrics.class);
    /** Pools with gauges per PgBouncer: the snapshot's own bound. */
    public static final int MAX_POOLS_WITH_METERS = PgBouncerReading.MAX_POOLS;
    /** Readings in a row (of an up PgBouncer) that must miss a pool before its gauges go. */
    public static final int GONE_AFTER_SAMPLES = 12;

    private record PoolKey(String pgbouncer, String database, String user) {
    }

    private static final class PoolMeters {
        final List<Meter> meters = new ArrayList<>();
        int missed;
    }

    private final MeterRegistry meters;
    private final PgBouncerSampler sampler;
    private final Map<PoolKey, PoolMeters> registered = new ConcurrentHashMap<>();
    /** The pools of the latest reading of every PgBouncer that was up; the pool gauges read here. */
    private volatile Map<PoolKey, PgBouncerPool> current = Map.of();
    private final Set<String> warnedFull = ConcurrentHashMap.newKeySet();
    private boolean bound;

    PgBouncerMetrics(MeterRegistry meters, PgBouncerSampler sampler) {
        this.meters = meters;
        this.sampler = sampler;
    }

    void onStart(@Observes StartupEvent event) {
        bind();
    }

    /** Registers the per-PgBouncer gauges and follows the sampler's readings from now on. */
    public synchronized void bind() {
        if (bound) {
            return;
        }
        bound = true;
        for (PgBouncerDefinition d : sampler.definitions()) {
            String name = d.name();
            Tags tags = Tags.of(MetricNames.PGBOUNCER, name);
            gauge(MetricNames.PGBOUNCER_UP, "1 when the PgBouncer's admin console could be read at the last sample, 0 when not",
                    tags,
                    name, s -> s.up() ? 1 : 0, false);
            gauge(MetricNames.PGBOUNCER_CLIENT_CONNECTIONS, "Client connections to the PgBouncer (every pool's cl_* columns)",
                    tags, name,
                    s -> s.clientConnections(), true);
            gauge(MetricNames.PGBOUNCER_MAX_CLIENT_CONNECTIONS, "The PgBouncer's max_client_conn", tags, name,
                    s -> s.maxClientConnections().isPresent() ? s.maxClientConnections().getAsInt() : Double.NaN, true);
            gauge(MetricNames.PGBOUNCER_CLIENT_CONNECTION_USE, "Client connections / max_client_conn", tags, name,
                    s -> s.clientConnectionUse().orElse(Double.NaN), true);
            gauge(MetricNames.PGBOUNCER_DEFAULT_POOL_SIZE, "The PgBouncer's default_pool_size", tags, name,
                    s -> s.defaultPoolSize().isPresent() ? s.defaultPoolSize().getAsInt() : Double.NaN, true);
        }
        sampler.onSample(this::update);
        update(sampler.all());
    }

    /** Follows one round of readings: pools that appeared get gauges, pools gone for long lose them. */
    public synchronized void update(List<PgBouncerSnapshot> snapshots) {
        Map<PoolKey, PgBouncerPool> next = new HashMap<>(current);
        for (PgBouncerSnapshot s : snapshots) {
            next.keySet().removeIf(k -> k.pgbouncer().equals(s.name()));
            if (!s.up()) {
                continue; // down: its pools read NaN, and are not counted as gone (nothing is known about them)
            }
            Set<PoolKey> seen = new HashSet<>();
            for (PgBouncerPool p : s.pools()) {
                PoolKey key = new PoolKey(s.name(), p.database(), p.user());
                seen.add(key);
                next.put(key, p);
                PoolMeters m = registered.get(key);
                if (m == null) {
                    long ofThis = registered.keySet().stream().filter(k -> k.pgbouncer().equals(s.name())).count();
                    if (ofThis >= MAX_POOLS_WITH_METERS) {
                        if (warnedFull.add(s.name())) {
                            LOG.warnf("PgBouncer %s has more than %d pools: the others get no meters", s.name(),
                                    MAX_POOLS_WITH_METERS);
                        }
                        continue;
                    }
                    registered.put(key, register(key));
                } else {
                    m.missed = 0;
                }
            }
            for (Map.Entry<PoolKey, PoolMeters> e : new ArrayList<>(registered.entrySet())) {
                if (e.getKey().pgbouncer().equals(s.name()) && !seen.contains(e.getKey())
                        && ++e.getValue().missed >= GONE_AFTER_SAMPLES) {
                    e.getValue().meters.forEach(meters::remove);
                    registered.remove(e.getKey());
                }
            }
        }
        current = Map.copyOf(next);
    }

    /** Pools that have gauges now, for tests and the bound. */
    public int poolsWithMeters() {
        return registered.size();
    }

    private PoolMeters register(PoolKey key) {
        PoolMeters m = new PoolMeters();
        Tags tags = Tags.of(MetricNames.PGBOUNCER, key.pgbouncer(), MetricNames.DATABASE, key.database(), MetricNames.USER,
                key.user());
        m.meters.add(pool(MetricNames.PGBOUNCER_CLIENTS_ACTIVE, "Clients linked to a server connection (cl_active)", tags, key,
                PgBouncerPool::clientsActive));
        m.meters.add(
                pool(MetricNames.PGBOUNCER_CLIENTS_WAITING, "Clients waiting for a server connection (cl_waiting)", tags, key,
                        PgBouncerPool::clientsWaiting));
        m.meters.add(pool(MetricNames.PGBOUNCER_SERVERS_ACTIVE, "Server connections linked to a client (sv_active)", tags, key,
                PgBouncerPool::serversActive));
        m.meters.add(pool(MetricNames.PGBOUNCER_SERVERS_IDLE, "Server connections unused and ready (sv_idle)", tags, key,
                PgBouncerPool::serversIdle));
        m.meters.add(
                pool(MetricNames.PGBOUNCER_SERVERS_USED, "Server connections idle past server_check_delay (sv_used)", tags, key,
                        PgBouncerPool::serversUsed));
        m.meters.add(pool(MetricNames.PGBOUNCER_MAX_WAIT,
                "How long the oldest waiting client has waited (maxwait + maxwait_us)", tags, key,
                PgBouncerPool::maxWaitSeconds));
        m.meters.add(pool(MetricNames.PGBOUNCER_AVERAGE_WAIT,
                "The database's average client wait over the last stats period (avg_wait_time)",
                tags, key, PgBouncerPool::averageWaitSeconds));
        m.meters.add(pool(MetricNames.PGBOUNCER_TRANSACTIONS_PER_SECOND,
                "The database's transactions per second (avg_xact_count)", tags, key,
                PgBouncerPool::transactionsPerSecond));
        m.meters.add(
                pool(MetricNames.PGBOUNCER_QUERIES_PER_SECOND, "The database's queries per second (avg_query_count)", tags, key,
                        PgBouncerPool::queriesPerSecond));
        return m;
    }

    private Meter pool(String name, String help, Tags tags, PoolKey key, ToDoubleFunction<PgBouncerPool> value) {
        return Gauge.builder(name, this, self -> {
            PgBouncerPool p = self.current.get(key);
            return p == null ? Double.NaN : value.applyAsDouble(p);
        }).description(help).tags(tags).strongReference(true).register(meters);
    }

    /** A per-PgBouncer gauge; NaN before the first reading, and when {@code onlyUp} while it is down. */
    private void gauge(String name, String help, Tags tags, String pgbouncer, ToDoubleFunction<PgBouncerSnapshot> value,
            boolean onlyUp) {
        Gauge.builder(name, sampler,
                s -> s.latest(pgbouncer).filter(x -> x.up() || !onlyUp).map(value::applyAsDouble).orElse(Double.NaN))
                .description(help).tags(tags).strongReference(true).register(meters);
    }
}
