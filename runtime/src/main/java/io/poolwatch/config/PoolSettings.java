package io.poolwatch.config;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings in effect for one workload's pool, after every configuration layer was applied and validated.
 *
 * @param name the workload name
 * @param url the database, credentials removed
 * @param username the user, if any
 * @param password the password, if any; masked in toString and JSON
 * @param replicas the workload's read replicas, each with the settings of its own pool (empty for a replica's pool)
 * @param sources for each setting, the key or variable that chose its value ("built-in" when none did)
 * @param workload the workload the pool serves: its own name, or for a replica's pool the workload it is a replica of
 * @param role primary (a workload's own pool) or replica (one of its read replicas')
 * @param readRouting how reads are routed over the replicas
 * @param tls the TLS the connections are configured with (its driver properties are in {@code jdbcProperties})
 * @param statementTimeout the longest a statement runs before the server cancels it; empty for no limit
 * @param socketTimeout the longest the driver waits for an answer before it closes the connection with an error; empty for
 *        none (set as the driver's {@code socketTimeout}; always above the statement timeout)
 */
public record PoolSettings(
        String name,
        DatabaseUrl url,
        Optional<String> username,
        Optional<Secret> password,
        int minSize,
        int maxSize,
        int initialSize,
        Duration acquisitionTimeout,
        Duration connectTimeout,
        Duration maxLifetime,
        Duration idleRemovalInterval,
        boolean validateOnBorrow,
        Duration backgroundValidationInterval,
        Duration leakDetectionInterval,
        IsolationLevel isolation,
        Optional<Duration> statementTimeout,
        Optional<Duration> socketTimeout,
        boolean readOnly,
        String applicationName,
        boolean critical,
        boolean echo,
        Map<String, String> jdbcProperties,
        List<ReplicaSettings> replicas,
        Map<String, String> sources,
        String workload,
        PoolRole role,
        ReadRouting readRouting,
        TlsSettings tls) {

    public PoolSettings {
        jdbcProperties = Map.copyOf(jdbcProperties);
        replicas = List.copyOf(replicas);
        sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    }

    /** A workload's own pool: role primary, built-in read routing, TLS as the driver properties say. */
    public PoolSettings(String name, DatabaseUrl url, Optional<String> username, Optional<Secret> password, int minSize,
            int maxSize,
            int initialSize, Duration acquisitionTimeout, Duration connectTimeout, Duration maxLifetime,
            Duration idleRemovalInterval,
            boolean validateOnBorrow, Duration backgroundValidationInterval, Duration leakDetectionInterval,
            IsolationLevel isolation,
            Optional<Duration> statementTimeout, Optional<Duration> socketTimeout, boolean readOnly, String applicationName,
            boolean critical, boolean echo, Map<String, String> jdbcProperties, List<ReplicaSettings> replicas,
            Map<String, String> sources) {
        this(name, url, username, password, minSize, maxSize, initialSize, acquisitionTimeout, connectTimeout, maxLifetime,
                idleRemovalInterval, validateOnBorrow, backgroundValidationInterval, leakDetectionInterval, isolation,
                statementTimeout,
                socketTimeout, readOnly, applicationName, critical, echo, jdbcProperties, replicas, sources, name,
                PoolRole.PRIMARY,
                ReadRouting.DEFAULT,
                TlsSettings.driverDefault(url.kind()));
    }

    /** Whether this is a read replica's pool. */
    public boolean replica() {
        return role == PoolRole.REPLICA;
    }
}
