package io.poolwatch.config;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings in effect for one pool, after every configuration layer was applied and validated, in small groups
 * that each read as what they are: who the pool is, where it connects, how large it may grow, how long it waits, how its
 * connections are kept, what its transactions are. The flat accessors below the groups ({@link #maxSize()} ...) read
 * through them.
 *
 * @param identity who the pool is
 * @param target where it connects and as whom
 * @param sizes how many connections it keeps and may open
 * @param timeouts how long a caller, a connection attempt, a statement and a socket read may take
 * @param upkeep how connections are recycled, validated and watched for leaks
 * @param session what every transaction on its connections is
 * @param readRouting how reads are routed over the replicas
 * @param replicas the workload's read replicas, each with the settings of its own pool (empty for a replica's pool)
 * @param sources for each setting, the key or variable that chose its value ("built-in" when none did)
 */
public record PoolSettings(Identity identity, Target target, Sizes sizes, Timeouts timeouts, Upkeep upkeep,
        Session session, ReadRouting readRouting, List<ReplicaSettings> replicas, Map<String, String> sources) {

    public PoolSettings {
        replicas = List.copyOf(replicas);
        sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    }

    /**
     * Who the pool is.
     *
     * @param name the pool's name: the workload's, or a replica pool's own
     * @param workload the workload the pool serves: its own name, or for a replica's pool the workload it is a replica of
     * @param role primary (a workload's own pool) or replica (one of its read replicas')
     * @param applicationName what the server shows for its sessions
     * @param critical whether readiness fails with it
     * @param echo whether its statements are logged
     */
    public record Identity(String name, String workload, PoolRole role, String applicationName, boolean critical,
            boolean echo) {
    }

    /**
     * Where the pool connects and as whom.
     *
     * @param url the database, credentials removed
     * @param username the user, if any
     * @param password the password, if any; masked in toString and JSON
     * @param jdbcProperties the driver properties, TLS's among them
     * @param tls the TLS the connections are configured with (its driver properties are in {@code jdbcProperties})
     */
    public record Target(DatabaseUrl url, Optional<String> username, Optional<Secret> password,
            Map<String, String> jdbcProperties, TlsSettings tls) {

        public Target {
            jdbcProperties = Map.copyOf(jdbcProperties);
        }
    }

    /**
     * How many connections the pool keeps ({@code min}), opens at start ({@code initial}) and may open ({@code max}, as
     * configured: autosizing may change the pool's max-size at run time within {@code autosize}'s bounds).
     */
    public record Sizes(int min, int max, int initial, Autosize autosize) {

        /** Sizes without autosizing. */
        public Sizes(int min, int max, int initial) {
            this(min, max, initial, Autosize.off(min));
        }
    }

    /**
     * Closed-loop sizing of the pool's max-size ({@code poolwatch.pools."<name>".autosize.*}).
     *
     * @param mode off (advice only), dry-run (changes recorded, not applied) or on
     * @param floor the lowest max-size it lowers to
     * @param ceiling the highest max-size it raises to; empty for the server's budget alone
     * @param step connections added or removed by one change
     * @param waitTarget a checkout p95 above this raises the max-size
     * @param raiseCooldown least time between a change and a raise; the window waits and timeouts are judged over
     * @param lowerAfter how long the pool must stay quiet before it is lowered, and the least time between a change and
     *        a lowering
     */
    public record Autosize(AutosizeMode mode, int floor, Optional<Integer> ceiling, int step, Duration waitTarget,
            Duration raiseCooldown, Duration lowerAfter) {

        /** The built-in policy, off, for a pool with this min-size. */
        public static Autosize off(int minSize) {
            return new Autosize(AutosizeMode.OFF, Math.max(1, minSize), Optional.empty(), 2, Duration.ofMillis(100),
                    Duration.ofSeconds(15), Duration.ofMinutes(5));
        }

        /** This policy in another mode. */
        public Autosize withMode(AutosizeMode m) {
            return new Autosize(m, floor, ceiling, step, waitTarget, raiseCooldown, lowerAfter);
        }
    }

    /**
     * How long things may take.
     *
     * @param acquisition a caller waiting for a connection
     * @param connect opening a connection
     * @param statement a statement, before the server cancels it; empty for no limit
     * @param socket the driver waiting for an answer before it closes the connection with an error; empty for none (set
     *        as the driver's {@code socketTimeout}; always above the statement timeout)
     */
    public record Timeouts(Duration acquisition, Duration connect, Optional<Duration> statement, Optional<Duration> socket) {
    }

    /**
     * How connections are kept.
     *
     * @param maxLifetime after which a connection is closed and replaced (0: never)
     * @param idleRemovalInterval after which an idle connection above the minimum is closed (0: never)
     * @param validateOnBorrow whether a connection idle for a while is checked before it is handed out
     * @param backgroundValidationInterval how often idle connections are checked (0: never)
     * @param validationQueryTimeout how long a check may take before its connection counts as broken (0: no check)
     * @param leakDetectionInterval after which a connection held is reported as leaked (0: never)
     */
    public record Upkeep(Duration maxLifetime, Duration idleRemovalInterval, boolean validateOnBorrow,
            Duration backgroundValidationInterval, Duration validationQueryTimeout, Duration leakDetectionInterval) {

        /** Connections opened and kept as they are: never replaced, removed, checked or reported. */
        public static Upkeep none() {
            return new Upkeep(Duration.ZERO, Duration.ZERO, false, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }

        /** This upkeep, with connections checked before they are handed out, each check taking at most {@code timeout}. */
        public Upkeep withValidationOnBorrow(Duration timeout) {
            return new Upkeep(maxLifetime, idleRemovalInterval, true, backgroundValidationInterval, timeout,
                    leakDetectionInterval);
        }

        /** This upkeep, with a connection held longer than this reported as leaked (0: never). */
        public Upkeep withLeakDetectionInterval(Duration interval) {
            return new Upkeep(maxLifetime, idleRemovalInterval, validateOnBorrow, backgroundValidationInterval,
                    validationQueryTimeout, interval);
        }
    }

    /** What every transaction on the pool's connections is: its isolation, and whether it may write. */
    public record Session(IsolationLevel isolation, boolean readOnly) {
    }

    /** The same settings with these read replicas. */
    public PoolSettings withReplicas(List<ReplicaSettings> replicas) {
        return new PoolSettings(identity, target, sizes, timeouts, upkeep, session, readRouting, replicas, sources);
    }

    /** Whether this is a read replica's pool. */
    public boolean replica() {
        return identity.role() == PoolRole.REPLICA;
    }

    // ---- the flat view: each reads through its group ----------------------------------------------------------------

    public String name() {
        return identity.name();
    }

    public String workload() {
        return identity.workload();
    }

    public PoolRole role() {
        return identity.role();
    }

    public String applicationName() {
        return identity.applicationName();
    }

    public boolean critical() {
        return identity.critical();
    }

    public boolean echo() {
        return identity.echo();
    }

    public DatabaseUrl url() {
        return target.url();
    }

    public Optional<String> username() {
        return target.username();
    }

    public Optional<Secret> password() {
        return target.password();
    }

    public Map<String, String> jdbcProperties() {
        return target.jdbcProperties();
    }

    public TlsSettings tls() {
        return target.tls();
    }

    public int minSize() {
        return sizes.min();
    }

    public int maxSize() {
        return sizes.max();
    }

    /** Closed-loop sizing of the max-size. */
    public Autosize autosize() {
        return sizes.autosize();
    }

    public int initialSize() {
        return sizes.initial();
    }

    public Duration acquisitionTimeout() {
        return timeouts.acquisition();
    }

    public Duration connectTimeout() {
        return timeouts.connect();
    }

    public Optional<Duration> statementTimeout() {
        return timeouts.statement();
    }

    public Optional<Duration> socketTimeout() {
        return timeouts.socket();
    }

    public Duration maxLifetime() {
        return upkeep.maxLifetime();
    }

    public Duration idleRemovalInterval() {
        return upkeep.idleRemovalInterval();
    }

    public boolean validateOnBorrow() {
        return upkeep.validateOnBorrow();
    }

    public Duration backgroundValidationInterval() {
        return upkeep.backgroundValidationInterval();
    }

    public Duration leakDetectionInterval() {
        return upkeep.leakDetectionInterval();
    }

    public IsolationLevel isolation() {
        return session.isolation();
    }

    public boolean readOnly() {
        return session.readOnly();
    }
}
