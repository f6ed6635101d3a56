package io.poolwatch.pool;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.poolwatch.config.Durations;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.IsolationLevel;
import io.poolwatch.config.PoolRole;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.PoolSettingsResolver;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.ReadRouting;
import io.poolwatch.config.ReplicaSettings;
import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.config.Secret;
import io.poolwatch.config.SeedSource;
import io.poolwatch.config.TlsSettings;
import io.poolwatch.config.TlsWarning;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Owns every workload pool and every read replica's pool: validates the whole configuration ({@link
 * io.poolwatch.config.StartupValidation}), then resolves the pools' settings, starts the
 * embedded database when none is configured, creates the pools, hands them out by name, and closes them at shutdown.
 * Reads routed over the replicas are {@link ReadRouter}'s.
 */
@Startup
@ApplicationScoped
public class PoolRegistry {

    /** The application name of poolwatch's monitoring connections, as the server shows it. */
    public static final String MONITOR_APPLICATION_NAME = "poolwatch-monitor";

    private static final Logger LOG = Logger.getLogger(PoolRegistry.class);

    private final PoolwatchConfig config;
    private final ResolvedConfiguration resolved;
    private final PoolGroup pools;
    private final FallbackDatabase embedded;
    private final List<MonitorTarget> monitorTargets = new ArrayList<>();
    private final List<WorkloadPool> monitorPools = new ArrayList<>();
    private final Map<String, MonitorGate> gates = new HashMap<>();

    PoolRegistry(PoolwatchConfig config, Config rawConfig, Instance<FallbackDatabase> fallbacks, StartupValidator validator,
            Event<RoleProbe.Change> roleChanges, Event<RoleProbe.Moved> serverMoves) {
        this.config = config;
        // Every part of the configuration is checked before anything is started or opened: one refusal lists every problem.
        validator.validate();
        FallbackDatabase fallback = fallbacks.isResolvable() ? fallbacks.get() : null;
        String note = StartupValidator.fallbackNote(fallback);
        boolean[] started = new boolean[1];
        Optional<Supplier<String>> fallbackUrl = fallback != null && fallback.enabled()
                ? Optional.of(() -> {
                    started[0] = true;
                    return fallback.start();
                })
                : Optional.empty();
        this.resolved = PoolSettingsResolver.resolve(config, SeedSource.of(rawConfig), fallbackUrl, note);
        this.embedded = started[0] ? fallback : null;
        List<String> missing = resolved.allPools().stream().map(PoolFactory::missingDriver).flatMap(Optional::stream).toList();
        if (!missing.isEmpty()) {
            if (embedded != null) {
                embedded.close();
            }
            throw new InvalidConfigurationException(missing);
        }
        // The monitoring connections first: each database's is in before any workload's, and keeps its slot (MonitorGate).
        openMonitorPools(config.sampling().serverQueryTimeout());
        try {
            this.pools = PoolGroup.open(resolved.allPools(), resolved.monitoring(),
                    s -> Optional.ofNullable(gates.get(monitorKey(s))),
                    new RoleProbe.Listeners(roleChanges::fire, serverMoves::fire));
        } catch (SQLException | RuntimeException e) {
            monitorPools.forEach(WorkloadPool::close);
            if (embedded != null) {
                embedded.close();
            }
            throw new IllegalStateException("creating the workload pools failed: " + e.getMessage(), e);
        }
        for (PoolSettings s : resolved.pools()) {
            LOG.infof("pool %s: %s, %d..%d connections, %s, statement timeout %s, socket timeout %s%s%s%s", s.name(),
                    s.url().masked(),
                    s.minSize(), s.maxSize(), s.isolation().configName(),
                    s.statementTimeout().map(Durations::format).orElse("none"),
                    s.socketTimeout().map(Durations::format).orElse("none"), s.readOnly() ? ", read-only" : "",
                    s.critical() ? ", critical" : "", s.tls().applicable() ? ", tls " + s.tls().mode().configName() : "");
            for (ReplicaSettings r : s.replicas()) {
                LOG.infof("pool %s: read replica of %s, %s, weight %d, %d..%d connections", r.name(), s.name(),
                        r.url().masked(),
                        r.weight(), r.pool().minSize(), r.pool().maxSize());
            }
            if (!s.replicas().isEmpty()) {
                LOG.infof("reads of %s: %s over %d replica(s), max-lag %s, fallback %s", s.name(), s.readRouting().strategy(),
                        s.replicas().size(), s.readRouting().maxLag().map(Durations::format).orElse("none"),
                        s.readRouting().fallback());
            }
        }
        // One line per pool that may send credentials and data in clear over a network.
        for (PoolSettings s : resolved.allPools()) {
            TlsWarning.warning(s).ifPresent(LOG::warn);
        }
        if (embedded != null) {
            LOG.infof("poolwatch is running on the %s; its data is removed on exit. "
                    + "To watch a real database set DATABASE_URL=postgresql://user:password@host:5432/db "
                    + "(or poolwatch.pools.\"<workload>\".url)", embedded.label());
        }
    }

    /** Databases are told apart by URL and user: a monitoring connection sees what its user may see. */
    /** The monitoring connection a pool's database is watched through: its URL and the user that connection logs in as. */
    private String monitorKey(PoolSettings s) {
        return s.url().jdbcUrl() + " " + config.sampling().monitorUsername().or(s::username).orElse("");
    }

    /**
     * One monitoring pool per distinct database (URL and user: {@code poolwatch.sampling.monitor-username} when set, else the
     * workload's) the workloads and their read replicas use, opened before
     * them and kept: one connection, opened at once and kept open (min-size 1, no idle removal, no max lifetime), so
     * poolwatch never gives its slot away to the workloads it watches. A database that is down at start leaves the pool
     * empty; its next use, or the next workload connection to that database, opens it ({@link MonitorGate}).
     */
    private void openMonitorPools(Duration queryTimeout) {
        Map<String, List<PoolSettings>> byDatabase = new LinkedHashMap<>();
        for (PoolSettings s : resolved.allPools()) {
            byDatabase.computeIfAbsent(monitorKey(s), k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<String, List<PoolSettings>> entry : byDatabase.entrySet()) {
            List<PoolSettings> group = entry.getValue();
            PoolSettings first = group.get(0);
            PoolSettings monitor = monitorSettings(first, queryTimeout, config.sampling().monitorUsername(),
                    config.sampling().monitorPassword().map(Secret::new));
            MonitorGate gate = new MonitorGate(first.url().label(), Clock.systemUTC());
            gate.spread(config.reconnect().maxConcurrentOpens(), config.reconnect().jitter(),
                    group.stream().map(PoolSettings::connectTimeout).max(Duration::compareTo).orElse(first.connectTimeout()));
            try {
                WorkloadPool pool = PoolFactory.create(monitor, resolved.monitoring(), Optional.of(gate), true,
                        RoleProbe.Listeners.NONE);
                // A workload waits for one attempt of the monitoring pool at most: its borrow, plus opening a connection.
                gate.attach(pool, queryTimeout.plus(first.connectTimeout()));
                monitorPools.add(pool);
                gates.put(entry.getKey(), gate);
                Map<String, String> names = new LinkedHashMap<>();
                group.forEach(s -> names.put(s.name(), s.applicationName()));
                monitorTargets.add(new MonitorTarget(first.url().label(), first.url().kind(), pool.dataSource(),
                        group.stream().map(PoolSettings::name).toList(), names, gate));
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("no server-side view of %s: its monitoring pool could not be created: %s", first.url().label(),
                        e.getMessage());
            }
        }
    }

    /**
     * The settings of a database's monitoring pool: one connection, opened at once and kept (min-size 1, no idle removal,
     * no max lifetime), read-only, with the server-query timeout as its statement timeout and every socket read and login
     * bounded, so a frozen server cannot hold the monitoring thread for ever. It logs in as {@code user} when given, else
     * as the workload {@code first} does.
     */
    static PoolSettings monitorSettings(PoolSettings first, Duration queryTimeout, Optional<String> user,
            Optional<Secret> password) {
        Map<String, String> props = new LinkedHashMap<>(first.jdbcProperties());
        long guardSeconds = queryTimeout.toSeconds() + 3;
        first.url().kind().dialect().guardTimeouts(guardSeconds).forEach(props::putIfAbsent);
        Optional<String> username = user.isPresent() ? user : first.username();
        Optional<Secret> secret = user.isPresent() ? password : first.password();
        return new PoolSettings(
                new PoolSettings.Identity("monitor", "monitor", PoolRole.PRIMARY, MONITOR_APPLICATION_NAME, false,
                        false),
                new PoolSettings.Target(first.url(), username, secret, props, TlsSettings.driverDefault(first.url().kind())),
                new PoolSettings.Sizes(1, 1, 1),
                new PoolSettings.Timeouts(queryTimeout, first.connectTimeout(), Optional.of(queryTimeout), Optional.empty()),
                // Opened at once and kept, checked before each use within the monitor's own query timeout.
                PoolSettings.Upkeep.none().withValidationOnBorrow(queryTimeout),
                new PoolSettings.Session(IsolationLevel.READ_COMMITTED, true), ReadRouting.DEFAULT, List.of(), Map.of());
    }

    /** The databases whose session views are read, each with its monitoring pool. */
    public List<MonitorTarget> monitorTargets() {
        return List.copyOf(monitorTargets);
    }

    /** The configuration in effect. */
    public ResolvedConfiguration configuration() {
        return resolved;
    }

    /**
     * Whether the pools run on the application's {@link FallbackDatabase} (the standalone service's embedded demo database).
     */
    public boolean embedded() {
        return embedded != null;
    }

    /** A workload's pool; {@link UnknownWorkloadException} when there is none. */
    public WorkloadPool pool(String name) {
        return pools.get(name);
    }

    /** The pools of a workload's read replicas, in configuration order; empty when it has none. */
    public List<WorkloadPool> replicas(String workload) {
        return pool(workload).settings().replicas().stream().map(r -> pools.get(r.name())).toList();
    }

    /** A workload's DataSource; {@link UnknownWorkloadException} when there is none. */
    public DataSource dataSource(String name) {
        return pools.get(name).dataSource();
    }

    /** Every pool: each workload's own, followed by its read replicas' pools (role replica). */
    public List<WorkloadPool> pools() {
        return pools.all();
    }

    /** The names of every pool, standard workloads first. */
    public Set<String> names() {
        return pools.names();
    }

    @Produces
    @Dependent
    @Unremovable
    @Workload("")
    DataSource workloadDataSource(InjectionPoint injectionPoint) {
        Workload workload = injectionPoint.getQualifiers().stream().filter(Workload.class::isInstance).map(Workload.class::cast)
                .findFirst().orElseThrow();
        return dataSource(workload.value());
    }

    void onShutdown(@Observes ShutdownEvent event) {
        shutdown();
    }

    /** Lets leased connections come back within the drain timeout, then closes every pool and the embedded database. */
    @PreDestroy
    synchronized void shutdown() {
        if (pools.isClosed()) {
            return;
        }
        boolean drained = pools.drainAndClose(config.shutdown().drainTimeout());
        monitorPools.forEach(WorkloadPool::close);
        LOG.infof("closed %d pool(s)%s", pools.names().size(), drained ? "" : " (some connections were still leased)");
        if (embedded != null) {
            embedded.close();
        }
    }
}
