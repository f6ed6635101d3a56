package io.poolwatch.alerting;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import io.poolwatch.config.Durations;
import io.poolwatch.config.Severity;

/**
 * The built-in alert rules, with the seed guides' thresholds as defaults. Each compares one value per pool,
 * database or check against its threshold; ratios and times breach above the threshold, counts at or above it (so a
 * threshold of 0 with {@code for=0s} fires at once, which operators use to test the path end to end).
 */
public enum AlertRule {
    POOL_UTILIZATION(Scope.POOL, "ratio", 0.8, false, Severity.WARNING, "1m", "pool utilization (active / max-size)",
            "utilization (active / max-size)"),
    ERROR_RATE(Scope.POOL, "ratio", 0.05, false, Severity.WARNING, "1m",
            "failed / attempted acquisitions over the error-rate window",
            "the error rate (failed / attempted acquisitions over the error-rate window)"),
    CHECKOUT_TIME(Scope.POOL, "seconds", 2.0, false, Severity.WARNING, "1m",
            "p95 time to get a connection in the last sample interval",
            "the p95 time to get a connection in the last sample interval"),
    LEAKED_CONNECTIONS(Scope.POOL, "connections", 5, true, Severity.WARNING, "0s",
            "connections held past the leak-detection interval",
            "the number of connections held past the leak-detection interval"),
    UNHEALTHY_POOLS(Scope.POOL, "pools", 1, true, null, "0s", "1 when the pool's database does not answer its validation",
            null),
    PRIMARY_READ_ONLY(Scope.POOL, "read-only", 1, true, Severity.CRITICAL, "0s",
            "1 when a pool that writes finds its server refusing writes (a standby, or read_only set)", null),
    SERVER_CHANGED(Scope.POOL, "changes", 1, true, Severity.WARNING, "0s",
            "changes of the server behind a pool that writes (a failover, or on PostgreSQL a restart) in the last 10 minutes",
            "the number of changes of its server in the last 10 minutes"),
    SLOW_QUERIES(Scope.POOL, "statements", 5, true, Severity.WARNING, "0s",
            "statements over the slow-query threshold in the last minute",
            "the number of statements over the slow-query threshold in the last minute"),
    SERVER_CONNECTIONS(Scope.DATABASE, "ratio", 0.8, false, Severity.WARNING, "5m",
            "client sessions / (max_connections - reserved) on the database server",
            "client sessions / (max_connections - reserved)"),
    IDLE_IN_TRANSACTION(Scope.DATABASE, "seconds", 60, false, Severity.WARNING, "0s",
            "age of the oldest session idle in a transaction",
            "the age of the oldest session idle in a transaction"),
    REPLICA_LAG(Scope.REPLICA, "seconds", 10, false, Severity.WARNING, "1m", "replay lag of a read replica", "the replay lag"),
    CONSISTENCY_CHECK(Scope.CHECK, "failing", 1, true, null, "0s", "1 when a consistency check failed, errored or timed out",
            null),
    BLOCKED_SESSIONS(Scope.DATABASE, "seconds", 30, false, Severity.WARNING, "0s",
            "how long the longest-blocked session has waited on a lock held by another session",
            "the longest wait of a session blocked by another"),
    DEADLOCKS(Scope.DATABASE, "deadlocks", 1, true, Severity.WARNING, "0s",
            "deadlocks the server detected in the last 10 minutes",
            "the number of deadlocks in the last 10 minutes"),
    APPLICATION_SESSIONS(Scope.APPLICATION, "ratio", 0.8, false, Severity.WARNING, "5m",
            "an application's sessions / its expected-max",
            "its sessions / expected-max"),
    APPLICATION_IDLE_IN_TRANSACTION(Scope.APPLICATION, "seconds", 60, false, Severity.WARNING, "0s",
            "age of an application's oldest session idle in a transaction",
            "the age of its oldest session idle in a transaction"),
    PGBOUNCER_CLIENTS_WAITING(Scope.PGBOUNCER, "clients", 1, true, Severity.WARNING, "1m",
            "clients of a PgBouncer pool waiting for a server connection",
            "the number of clients waiting for a server connection"),
    PGBOUNCER_MAX_WAIT(Scope.PGBOUNCER, "seconds", 5, false, Severity.WARNING, "0s",
            "how long the oldest client of a PgBouncer pool has waited for a server connection (maxwait)",
            "the oldest waiting client's wait"),
    PGBOUNCER_DOWN(Scope.PGBOUNCER, "down", 1, true, Severity.WARNING, "1m",
            "1 when a PgBouncer's admin console cannot be read", null);

    /** What one alert of the rule is about. */
    public enum Scope {
        POOL,
        DATABASE,
        REPLICA,
        CHECK,
        /** An application poolwatch does not own, on one database ({@code poolwatch.applications}). */
        APPLICATION,
        /** A PgBouncer, or one of its pools ({@code poolwatch.pgbouncer}). */
        PGBOUNCER;

        /**
         * Whether alerts of this scope are about something every replica of poolwatch sees alike (not this process's own
         * pools).
         */
        public boolean shared() {
            return this != POOL;
        }
    }

    private final Scope scope;
    private final String unit;
    private final double threshold;
    private final boolean atOrAbove;
    private final Severity severity;
    private final Duration forDuration;
    private final String measures;
    private final String quantity;

    AlertRule(Scope scope, String unit, double threshold, boolean atOrAbove, Severity severity, String forDuration,
            String measures,
            String quantity) {
        this.scope = scope;
        this.unit = unit;
        this.threshold = threshold;
        this.atOrAbove = atOrAbove;
        this.severity = severity;
        this.forDuration = Durations.parse(forDuration);
        this.measures = measures;
        this.quantity = quantity;
    }

    /** The rule's name: the alertname label and its configuration key. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public Scope scope() {
        return scope;
    }

    public String unit() {
        return unit;
    }

    /** The built-in threshold (the error-rate and leak rules take theirs from the seed variables when set). */
    public double defaultThreshold() {
        return threshold;
    }

    /** Whether a value equal to the threshold breaches (counts) or only a greater one (ratios and times). */
    public boolean atOrAbove() {
        return atOrAbove;
    }

    /**
     * The built-in severity; empty where it depends on what the alert is about: unhealthy-pools is critical for a
     * critical workload and a warning otherwise, consistency-check takes each check's severity. error-rate's alert starts
     * at this severity and rises to critical above DB_ERROR_RATE_CRITICAL.
     */
    public Optional<Severity> defaultSeverity() {
        return Optional.ofNullable(severity);
    }

    public Duration defaultFor() {
        return forDuration;
    }

    /** What the value is, for people. */
    public String measures() {
        return measures;
    }

    /**
     * The value as the subject of a sentence ("utilization (active / max-size) is 93.0%"); empty for the rules whose value
     * only says whether something holds (unhealthy-pools, consistency-check), which are worded by what holds.
     */
    Optional<String> quantity() {
        return Optional.ofNullable(quantity);
    }

    /** Whether {@code value} breaches {@code limit} under this rule's comparison. */
    public boolean breaches(double value, double limit) {
        return atOrAbove ? value >= limit : value > limit;
    }

    /** The comparison as text: {@code >} or {@code >=}. */
    public String operator() {
        return atOrAbove ? ">=" : ">";
    }

    static final String ACCEPTED = Arrays.stream(values()).map(AlertRule::label).collect(Collectors.joining(", "));

    /** The rule of a name; empty when there is none. */
    public static Optional<AlertRule> of(String name) {
        return Arrays.stream(values()).filter(r -> r.label().equals(name)).findFirst();
    }
}
