package io.poolwatch.sampling;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.engine.ReplicaLag;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Reads the replication lag of every replica's database, and the standbys each PostgreSQL primary with replicas
 * reports, on the health validation interval, so routing skips a replica over its max-lag within one interval. Each
 * database is read on its own thread through poolwatch's monitoring connection, so a hung replica delays no other; a
 * read that has not answered within the validation timeout counts as unreachable. Readers get the cached result.
 */
@ApplicationScoped
public class ReplicaLagSampler {

    private static final Logger LOG = Logger.getLogger(ReplicaLagSampler.class);

    private final PoolRegistry registry;
    private final Duration interval;
    private final Duration timeout;
    /** The database of each pool, from the monitoring targets. */
    private final Map<String, String> databaseOfPool = new LinkedHashMap<>();
    private final Map<String, MonitorTarget> replicaDatabases = new LinkedHashMap<>();
    private final Map<String, MonitorTarget> primaryDatabases = new LinkedHashMap<>();
    private final Map<String, ReplicaLag> lags = new ConcurrentHashMap<>();
    private final Map<String, ReplicaLagReader.PrimaryView> primaries = new ConcurrentHashMap<>();
    private final Map<String, Future<?>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Instant> inFlightSince = new ConcurrentHashMap<>();
    private final BackgroundWork work;
    private final Map<String, BackgroundWork.Lane> workers = new ConcurrentHashMap<>();
    private BackgroundWork.Periodic ticker;

    ReplicaLagSampler(PoolRegistry registry, PoolwatchConfig config, BackgroundWork work) {
        this.registry = registry;
        this.work = work;
        this.interval = config.health().validationInterval();
        this.timeout = config.health().validationTimeout();
        Set<String> replicaPools = new LinkedHashSet<>();
        Set<String> primariesWithReplicas = new LinkedHashSet<>();
        for (WorkloadPool p : registry.pools()) {
            if (p.settings().replica()) {
                replicaPools.add(p.name());
            } else if (!p.settings().replicas().isEmpty()) {
                primariesWithReplicas.add(p.name());
            }
        }
        for (MonitorTarget t : registry.monitorTargets()) {
            t.pools().forEach(p -> databaseOfPool.put(p, t.database()));
            if (t.pools().stream().anyMatch(replicaPools::contains)) {
                replicaDatabases.put(t.database(), t);
            }
            if (t.kind().dialect().listsStandbys() && t.pools().stream().anyMatch(primariesWithReplicas::contains)) {
                primaryDatabases.put(t.database(), t);
            }
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (replicaDatabases.isEmpty()) {
            return;
        }
        Set<String> databases = new LinkedHashSet<>(replicaDatabases.keySet());
        databases.addAll(primaryDatabases.keySet());
        for (String db : databases) {
            workers.put(db, work.lane("replica-lag " + db, 1));
        }
        ticker = work.every("replica lag round", Duration.ZERO, interval, this::tick);
    }

    /** One round: a read per database unless one is still running, which is given up on once overdue. */
    void tick() {
        for (String db : workers.keySet()) {
            try {
                Future<?> running = inFlight.get(db);
                if (running != null && !running.isDone()) {
                    if (Duration.between(inFlightSince.get(db), Instant.now()).compareTo(timeout) > 0
                            && replicaDatabases.containsKey(db)) {
                        lags.put(db, ReplicaLag.unknown(db, Instant.now(), ReplicaLag.State.UNREACHABLE,
                                "no answer within " + timeout.toMillis() + " ms"));
                    }
                    continue;
                }
                inFlightSince.put(db, Instant.now());
                inFlight.put(db, workers.get(db).submit("replication lag read", () -> read(db)));
            } catch (RuntimeException e) {
                LOG.debugf(e, "reading the replication lag of %s could not start", db);
            }
        }
    }

    /** Reads the database's lag now (a replica) and its standbys (a primary with replicas). */
    void read(String database) {
        MonitorTarget replica = replicaDatabases.get(database);
        if (replica != null) {
            ReplicaLag lag;
            try (Connection c = replica.dataSource().getConnection()) {
                lag = ReplicaLagReader.replica(c, replica.kind(), database, Instant.now());
            } catch (Exception e) {
                lag = ReplicaLag.unknown(database, Instant.now(), ReplicaLag.State.UNREACHABLE,
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            ReplicaLag previous = lags.put(database, lag);
            if (previous == null || previous.state() != lag.state()) {
                LOG.infof("replica database %s: %s (%s)", database, lag.state().label(), lag.detail());
            }
        }
        MonitorTarget primary = primaryDatabases.get(database);
        if (primary != null) {
            try (Connection c = primary.dataSource().getConnection()) {
                primaries.put(database, ReplicaLagReader.standbys(c, database, Instant.now()));
            } catch (Exception e) {
                primaries.put(database, new ReplicaLagReader.PrimaryView(database, Instant.now(), List.of(), false,
                        Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
            }
        }
    }

    /** The database a pool reads, {@code host:port/name}; empty when it has no monitoring connection. */
    public Optional<String> databaseOf(String pool) {
        return Optional.ofNullable(databaseOfPool.get(pool));
    }

    /** The latest lag of a replica's database, empty before the first read ends. */
    public Optional<ReplicaLag> latest(String database) {
        return Optional.ofNullable(lags.get(database));
    }

    /** The latest lag of the database a replica's pool reads. */
    public Optional<ReplicaLag> ofPool(String pool) {
        return databaseOf(pool).flatMap(this::latest);
    }

    /** What a PostgreSQL primary with replicas last reported about its standbys. */
    public Optional<ReplicaLagReader.PrimaryView> primary(String database) {
        return Optional.ofNullable(primaries.get(database));
    }

    /** How often the lag is read. */
    public Duration interval() {
        return interval;
    }

    /** Before the registry drains and closes the pools (observers without a priority run at 2500). */
    void onShutdown(@Observes @Priority(1000) ShutdownEvent event) {
        stop();
    }

    @PreDestroy
    void stop() {
        if (ticker != null) {
            ticker.cancel();
        }
        workers.values().forEach(BackgroundWork.Lane::stop);
    }
}
