package io.poolwatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings in effect for one workload's pool, after every configuration layer was applied and validated.
 *
 * @param name the workload name
 * @param url the database, credentials removed
 * @param username the user, if any
 * @param password the password, if any; masked in toString and JSON
 * @param sources for each setting, the key or variable that chose its value ("built-in" when none did)
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
        boolean readOnly,
        String applicationName,
        boolean critical,
        boolean echo,
        Map<String, String> jdbcProperties,
        List<ReplicaSettings> replicas,
        Map<String, String> sources) {

    public PoolSettings {
        jdbcProperties = Map.copyOf(jdbcProperties);
        replicas = List.copyOf(replicas);
        sources = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sources));
    }
}
