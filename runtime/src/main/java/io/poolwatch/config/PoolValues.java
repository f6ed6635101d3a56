package io.poolwatch.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A layer of pool values that does not come from the {@code poolwatch.*} keys: the seed environment
 * variables, a workload's built-in profile, the built-in base. Unset values are empty, as in the mapping.
 */
final class PoolValues implements PoolwatchConfig.PoolConfig {

    Optional<Boolean> enabled = Optional.empty();
    Optional<String> url = Optional.empty();
    Optional<String> username = Optional.empty();
    Optional<String> password = Optional.empty();
    Optional<Integer> minSize = Optional.empty();
    Optional<Integer> maxSize = Optional.empty();
    Optional<Integer> initialSize = Optional.empty();
    Optional<Duration> acquisitionTimeout = Optional.empty();
    Optional<Duration> connectTimeout = Optional.empty();
    Optional<Duration> maxLifetime = Optional.empty();
    Optional<Duration> idleRemovalInterval = Optional.empty();
    Optional<Boolean> validateOnBorrow = Optional.empty();
    Optional<Duration> backgroundValidationInterval = Optional.empty();
    Optional<Duration> leakDetectionInterval = Optional.empty();
    Optional<String> transactionIsolation = Optional.empty();
    Optional<Duration> statementTimeout = Optional.empty();
    Optional<Duration> socketTimeout = Optional.empty();
    Optional<Boolean> readOnly = Optional.empty();
    Optional<String> applicationName = Optional.empty();
    Optional<Boolean> critical = Optional.empty();
    Optional<Boolean> echo = Optional.empty();
    final Map<String, String> jdbcProperties = new LinkedHashMap<>();

    @Override
    public Optional<Boolean> enabled() {
        return enabled;
    }

    @Override
    public Optional<String> url() {
        return url;
    }

    @Override
    public Optional<String> username() {
        return username;
    }

    @Override
    public Optional<String> password() {
        return password;
    }

    @Override
    public Optional<Integer> minSize() {
        return minSize;
    }

    @Override
    public Optional<Integer> maxSize() {
        return maxSize;
    }

    @Override
    public Optional<Integer> initialSize() {
        return initialSize;
    }

    @Override
    public Optional<Duration> acquisitionTimeout() {
        return acquisitionTimeout;
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return connectTimeout;
    }

    @Override
    public Optional<Duration> maxLifetime() {
        return maxLifetime;
    }

    @Override
    public Optional<Duration> idleRemovalInterval() {
        return idleRemovalInterval;
    }

    @Override
    public Optional<Boolean> validateOnBorrow() {
        return validateOnBorrow;
    }

    @Override
    public Optional<Duration> backgroundValidationInterval() {
        return backgroundValidationInterval;
    }

    @Override
    public Optional<Duration> leakDetectionInterval() {
        return leakDetectionInterval;
    }

    @Override
    public Optional<String> transactionIsolation() {
        return transactionIsolation;
    }

    @Override
    public Optional<Duration> statementTimeout() {
        return statementTimeout;
    }

    @Override
    public Optional<Duration> socketTimeout() {
        return socketTimeout;
    }

    @Override
    public Optional<Boolean> readOnly() {
        return readOnly;
    }

    @Override
    public Optional<String> applicationName() {
        return applicationName;
    }

    @Override
    public Optional<Boolean> critical() {
        return critical;
    }

    @Override
    public Optional<Boolean> echo() {
        return echo;
    }

    @Override
    public Map<String, String> jdbcProperties() {
        return jdbcProperties;
    }

    /** Alert settings come only from the poolwatch.* keys, never from a seed variable or a profile. */
    @Override
    public Map<String, PoolwatchConfig.RuleConfig> alerts() {
        return Map.of();
    }

    /** Replicas from the seed variables are read separately (they belong to one workload), never as a layer. */
    @Override
    public Map<String, PoolwatchConfig.ReplicaConfig> replicas() {
        return Map.of();
    }

    final Routing readRouting = new Routing();

    @Override
    public PoolwatchConfig.ReadRoutingConfig readRouting() {
        return readRouting;
    }

    final Tls tls = new Tls();

    @Override
    public PoolwatchConfig.TlsConfig tls() {
        return tls;
    }

    /** TLS values of this layer: no seed variable or profile sets them, so they stay empty. */
    static final class Tls implements PoolwatchConfig.TlsConfig {
        Optional<String> mode = Optional.empty();
        Optional<String> caFile = Optional.empty();

        @Override
        public Optional<String> mode() {
            return mode;
        }

        @Override
        public Optional<String> caFile() {
            return caFile;
        }
    }

    /** Read routing values of this layer; unset values are empty. */
    static final class Routing implements PoolwatchConfig.ReadRoutingConfig {
        Optional<String> strategy = Optional.empty();
        Optional<Duration> maxLag = Optional.empty();
        Optional<String> fallback = Optional.empty();

        @Override
        public Optional<String> strategy() {
            return strategy;
        }

        @Override
        public Optional<Duration> maxLag() {
            return maxLag;
        }

        @Override
        public Optional<String> fallback() {
            return fallback;
        }
    }
}
