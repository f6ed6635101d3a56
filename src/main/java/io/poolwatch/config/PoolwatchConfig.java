package io.poolwatch.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * poolwatch's own configuration, under {@code poolwatch.*}.
 * <p>
 * Pool keys are all optional here because a pool's value is resolved through layers (see
 * {@link PoolSettingsResolver}): {@code poolwatch.pools."<name>".*}, then {@code poolwatch.defaults.*},
 * then the seed environment variables ({@code DB_POOL_SIZE} ...), then the workload's built-in profile
 * ({@link WorkloadProfiles}). The built-in values are listed in each key's Javadoc.
 */
@ConfigMapping(prefix = "poolwatch")
public interface PoolwatchConfig {

    /** Workload pools by name. The standard workloads main, jobs, analytics and financial exist without any key. */
    Map<String, PoolConfig> pools();

    /** Values every pool inherits unless its own key is set; same keys as a pool. */
    PoolConfig defaults();

    /** Global monitoring settings (the seed's DB_MONITOR_ENABLED, DB_SLOW_QUERY_THRESHOLD ... map here). */
    MonitoringConfig monitoring();

    /** Read replicas given by the seed variables DB_READ_REPLICAS and DB_REPLICA_N_WEIGHT. */
    ReadReplicasConfig readReplicas();

    /** The embedded demo database used when no database URL is configured. */
    EmbeddedConfig embedded();

    /** Orderly shutdown. */
    ShutdownConfig shutdown();

    /** How often pools and servers are sampled, and how much history is kept. */
    SamplingConfig sampling();

    /** The built-in load simulator that runs the demo workloads against the pools. */
    SimulatorConfig simulator();

    /** Health: how the databases are validated for the readiness probe. */
    HealthConfig health();

    /** Background validation behind the health probes. */
    interface HealthConfig {

        /** How often each database is validated, on poolwatch's own monitoring connection and thread. */
        @WithDefault("2s")
        @WithConverter(Converters.DurationConverter.class)
        Duration validationInterval();

        /** A validation that has not answered within this is a failure (the probe never waits for it). */
        @WithDefault("2s")
        @WithConverter(Converters.DurationConverter.class)
        Duration validationTimeout();

        /** How long a readiness answer is reused, so a storm of probes costs one answer per period. */
        @WithDefault("250ms")
        @WithConverter(Converters.DurationConverter.class)
        Duration responseCache();
    }

    /** One workload's pool. Every key is optional; see the class Javadoc for how a value is chosen. */
    interface PoolConfig {

        /** Whether this workload has a pool. Built-in: true. Set false to disable a standard workload. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> enabled();

        /**
         * Database URL: {@code jdbc:postgresql://...}, {@code jdbc:mariadb://...}, {@code jdbc:h2:...}, or the seed forms
         * {@code postgresql://user:pass@host/db}, {@code postgresql+asyncpg://...}, {@code mysql://...},
         * {@code mariadb://...}. Built-in: DATABASE_URL, else the embedded database.
         */
        Optional<String> url();

        /** User name; overrides one given in the URL. */
        Optional<String> username();

        /** Password; overrides one given in the URL. Never logged or shown. */
        Optional<String> password();

        /** Connections kept open (the seed's DB_POOL_SIZE). Built-in: per workload, 1 to 5. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> minSize();

        /** Most connections at once (DB_POOL_SIZE + DB_MAX_OVERFLOW). Built-in: per workload, 5 to 30. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> maxSize();

        /** Connections opened at start-up. Built-in: the min-size. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> initialSize();

        /** Longest wait for a free connection before the caller gets an error (DB_POOL_TIMEOUT). Built-in: 30s. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> acquisitionTimeout();

        /** Longest wait to open a new connection (DB_CONNECT_TIMEOUT). Built-in: 10s. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> connectTimeout();

        /** Connections older than this are closed and replaced (DB_POOL_RECYCLE); 0 keeps them forever. Built-in: 1h. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> maxLifetime();

        /** Connections idle this long above min-size are closed; 0 never closes them. Built-in: 5m. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> idleRemovalInterval();

        /** Validate a connection before handing it out (DB_POOL_PRE_PING). Built-in: true. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> validateOnBorrow();

        /** Interval of background validation of idle connections; 0 turns it off. Built-in: 2m. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> backgroundValidationInterval();

        /** A connection held longer than this is reported as a leak; 0 turns detection off. Built-in: 5m. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> leakDetectionInterval();

        /**
         * Isolation level of every connection: read-uncommitted, read-committed, repeatable-read, serializable.
         * Built-in: read-committed; serializable for financial.
         */
        Optional<String> transactionIsolation();

        /** The server cancels a statement running longer than this (DB_COMMAND_TIMEOUT); 0 means no limit. Built-in: per workload. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> statementTimeout();

        /** Connections are read-only, enforced by the server. Built-in: true for analytics, false otherwise. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> readOnly();

        /** Name the server shows for these connections (pg_stat_activity.application_name). Built-in: poolwatch-&lt;name&gt;. */
        Optional<String> applicationName();

        /** A critical workload that cannot reach its database makes readiness DOWN. Built-in: true for main and financial. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> critical();

        /** Log every checkout and check-in of this pool (DB_ECHO_POOL). Built-in: false. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> echo();

        /** Additional JDBC driver properties, passed as they are (e.g. sslmode, sslrootcert). */
        Map<String, String> jdbcProperties();
    }

    /** Global monitoring settings. */
    interface MonitoringConfig {

        /** Sample and monitor the pools (DB_MONITOR_ENABLED). Built-in: true. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> enabled();

        /** A statement running longer than this counts as slow (DB_SLOW_QUERY_THRESHOLD). Built-in: 1s. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> slowQueryThreshold();

        /** Error rate (0..1) at which the error-rate alert is critical (DB_ERROR_RATE_CRITICAL). Built-in: 0.05. */
        Optional<Double> errorRateCritical();

        /** Number of leaked connections that raises an alert (DB_CONNECTION_LEAK_THRESHOLD). Built-in: 5. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> leakThreshold();

        /** Log every SQL statement run through the pools (DATABASE_ECHO, DB_ECHO). Built-in: false. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> sqlEcho();
    }

    /** Where the seed's read replicas belong. */
    interface ReadReplicasConfig {

        /** The workload whose reads DB_READ_REPLICAS serve. */
        @WithDefault("main")
        String workload();
    }

    /** The embedded demo database. */
    interface EmbeddedConfig {

        /** Start an embedded database when no URL is configured; false makes a missing URL an error. */
        @WithDefault("true")
        @WithConverter(Converters.StrictBooleanConverter.class)
        boolean enabled();

        /** postgresql (a real PostgreSQL 16 run by the process) or h2; postgresql falls back to h2 where it cannot run. */
        @WithDefault("postgresql")
        EmbeddedKind kind();

        /** Rows generated in the demo's analytics table. */
        @WithDefault("200000")
        @WithConverter(Converters.IntegerConverter.class)
        int demoRows();
    }

    /** The embedded database engines. */
    enum EmbeddedKind {
        POSTGRESQL,
        H2
    }

    /** Sampling of the pools and of the database servers. */
    interface SamplingConfig {

        /** How often every pool is sampled. */
        @WithDefault("5s")
        @WithConverter(Converters.DurationConverter.class)
        Duration interval();

        /** How often each database server's session views are read. */
        @WithDefault("15s")
        @WithConverter(Converters.DurationConverter.class)
        Duration serverInterval();

        /** How much pool history is kept in memory; the memory used does not grow with uptime. */
        @WithDefault("1h")
        @WithConverter(Converters.DurationConverter.class)
        Duration history();

        /** The window the error rate (failed acquisitions / attempts) is computed over. */
        @WithDefault("1m")
        @WithConverter(Converters.DurationConverter.class)
        Duration errorRateWindow();

        /** Replicas of poolwatch expected to run against the same databases, for the server-capacity advice. */
        @WithDefault("1")
        @WithConverter(Converters.IntegerConverter.class)
        int expectedReplicas();

        /** Statement timeout of the server-side queries, so a hung server cannot hold the sampler. */
        @WithDefault("2s")
        @WithConverter(Converters.DurationConverter.class)
        Duration serverQueryTimeout();
    }

    /** The load simulator: off by default, on by default on the embedded demo database. */
    interface SimulatorConfig {

        /** Run the simulator from start-up. Built-in: true on the embedded demo database, false otherwise. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> enabled();

        /** Virtual users per workload; a workload not listed gets its built-in count (main 6, jobs 2, analytics 1, financial 4). */
        Map<String, Integer> users();

        /** Pause between one user's transactions (each pause varies by up to half of it). */
        @WithDefault("200ms")
        @WithConverter(Converters.DurationConverter.class)
        Duration thinkTime();

        /** How long a run lasts; 0 runs until stopped. */
        @WithDefault("0s")
        @WithConverter(Converters.DurationConverter.class)
        Duration duration();

        /**
         * Start a fault now and then while the simulator runs (leak, slow, saturate, and once an unbalanced ledger
         * entry), so the demo shows every problem. Built-in: true on the embedded demo database, false otherwise.
         */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> demoCycle();

        /** How often the demo cycle starts its next fault. */
        @WithDefault("90s")
        @WithConverter(Converters.DurationConverter.class)
        Duration demoCycleInterval();
    }

    /** Orderly shutdown. */
    interface ShutdownConfig {

        /** How long borrowed connections may take to come back before every pool is closed anyway. */
        @WithDefault("15s")
        @WithConverter(Converters.DurationConverter.class)
        Duration drainTimeout();
    }
}
