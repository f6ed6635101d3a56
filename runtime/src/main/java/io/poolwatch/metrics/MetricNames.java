package io.poolwatch.metrics;

/**
 * Every meter poolwatch exports and its tags, in one place. Micrometer names; the Prometheus registry writes
 * them with underscores, counters with {@code _total}. Times are in seconds, ratios between 0 and 1.
 */
public final class MetricNames {

    private MetricNames() {
    }

    // tags
    public static final String POOL = "pool";
    public static final String WORKLOAD = "workload";
    public static final String ROLE = "role";
    public static final String QUANTILE = "quantile";
    public static final String DATABASE = "database";
    public static final String STATE = "state";
    public static final String CHECK = "check";
    public static final String SEVERITY = "severity";
    public static final String STATUS = "status";

    // pool gauges
    public static final String ACTIVE = "poolwatch.pool.connections.active";
    public static final String IDLE = "poolwatch.pool.connections.idle";
    public static final String OPEN = "poolwatch.pool.connections.open";
    public static final String AWAITING = "poolwatch.pool.connections.awaiting";
    public static final String MIN = "poolwatch.pool.connections.min";
    public static final String MAX = "poolwatch.pool.connections.max";
    public static final String PEAK = "poolwatch.pool.connections.peak";
    public static final String UTILIZATION = "poolwatch.pool.utilization.ratio";
    public static final String ERROR_RATE = "poolwatch.pool.acquisition.error.ratio";
    public static final String CHECKOUT = "poolwatch.pool.checkout.seconds";
    public static final String CHECKOUT_MAX = "poolwatch.pool.checkout.max.seconds";
    public static final String LEASE = "poolwatch.pool.lease.seconds";
    public static final String LEASE_MAX = "poolwatch.pool.lease.max.seconds";
    public static final String LEAKS_CURRENT = "poolwatch.pool.leaks.current";
    /** 1 when the server reports the pool's latest connection encrypted, 0 when not, NaN before one (not for H2). */
    public static final String TLS_ENCRYPTED = "poolwatch.pool.tls.encrypted";
    /** 1 when the pool's server refuses writes (a standby, read_only), 0 when it takes them, NaN before it said (H2). */
    public static final String SERVER_READ_ONLY = "poolwatch.pool.server.read.only";
    /** 1 when the pool writes and its own connections found its server refusing writes: "primary is read-only". */
    public static final String PRIMARY_READ_ONLY = "poolwatch.pool.primary.read.only";
    /** Changes of the pool's server between taking and refusing writes (a failover, a demotion). */
    public static final String SERVER_ROLE_CHANGES = "poolwatch.pool.server.role.changes";
    /** Changes of the server behind a pool that writes: failovers, and on PostgreSQL restarts. */
    public static final String SERVER_CHANGES = "poolwatch.pool.server.changes";
    /** Changes of the pool's max-size autosizing made (mode on) or recommended (dry-run), by direction. */
    public static final String AUTOSIZE_CHANGES = "poolwatch.pool.autosize.changes";
    /** The most max-size the server's connection budget leaves the pool now; NaN when the budget is not known. */
    public static final String AUTOSIZE_ALLOWED = "poolwatch.pool.autosize.allowed";
    /** The max-size autosizing's latest answer wants: the recommendation in dry-run and off, the max-size when on. */
    public static final String AUTOSIZE_TARGET = "poolwatch.pool.autosize.target";
    /** Direction of an autosize change: raise or lower. */
    public static final String DIRECTION = "direction";

    // pool counters
    public static final String ACQUISITIONS = "poolwatch.pool.acquisitions";
    public static final String ACQUISITION_FAILURES = "poolwatch.pool.acquisition.failures";
    public static final String ACQUISITION_TIMEOUTS = "poolwatch.pool.acquisition.timeouts";
    public static final String CREATED = "poolwatch.pool.connections.created";
    public static final String DESTROYED = "poolwatch.pool.connections.destroyed";
    public static final String INVALID = "poolwatch.pool.connections.invalid";
    public static final String REAPED = "poolwatch.pool.connections.reaped";
    public static final String CREATION_FAILURES = "poolwatch.pool.connection.creation.failures";
    public static final String LEAKS = "poolwatch.pool.leaks.detected";
    public static final String STATEMENTS = "poolwatch.pool.statements";
    public static final String STATEMENT_SECONDS = "poolwatch.pool.statement.seconds";
    public static final String SLOW_STATEMENTS = "poolwatch.pool.statements.slow";

    // poolwatch's own cost
    public static final String SAMPLING_CPU = "poolwatch.sampling.cpu.seconds";
    public static final String SAMPLING_SNAPSHOTS = "poolwatch.sampling.snapshots";

    // server gauges
    public static final String SERVER_UP = "poolwatch.server.up";
    public static final String SERVER_SESSIONS = "poolwatch.server.sessions";
    public static final String SERVER_SESSIONS_TOTAL = "poolwatch.server.sessions.total";
    public static final String SERVER_MAX_CONNECTIONS = "poolwatch.server.max.connections";
    public static final String SERVER_CONNECTION_USE = "poolwatch.server.connection.use.ratio";
    public static final String SERVER_SATURATED = "poolwatch.server.saturated";
    public static final String SERVER_MONITOR_HELD = "poolwatch.server.monitor.connection.held";
    public static final String SERVER_IDLE_IN_TRANSACTION = "poolwatch.server.idle.in.transaction.oldest.seconds";
    public static final String SERVER_LONGEST_STATEMENT = "poolwatch.server.statement.longest.seconds";
    public static final String SERVER_LONGEST_TRANSACTION = "poolwatch.server.transaction.longest.seconds";

    // consistency checks
    public static final String CHECK_VIOLATIONS = "poolwatch.check.violations";
    public static final String CHECK_DURATION = "poolwatch.check.duration.seconds";
    public static final String CHECK_LAST_SUCCESS = "poolwatch.check.last.success.timestamp.seconds";
    public static final String CHECK_FAILING = "poolwatch.check.failing";
    public static final String CHECK_RUNS = "poolwatch.check.runs";

    // alerts
    public static final String ALERTS = "poolwatch.alerts";
    /** When alert evaluation last completed, seconds since the epoch; NaN before the first. */
    public static final String ALERT_EVALUATION_LAST_SUCCESS = "poolwatch.alert.evaluation.last.success.timestamp.seconds";
    /** 1 while alert evaluation is stalled (running or overdue past its bound), else 0. */
    public static final String ALERT_EVALUATION_STALLED = "poolwatch.alert.evaluation.stalled";
    /** How long the evaluation running now has been at it, seconds; 0 when none runs. */
    public static final String ALERT_EVALUATION_RUNNING = "poolwatch.alert.evaluation.running.seconds";

    // transactions of Workloads.inTransaction (tags workload; outcome, reason)
    public static final String OUTCOME = "outcome";
    /** Transactions by how they ended: committed, rolled_back, retries_exhausted. */
    public static final String TRANSACTIONS = "poolwatch.transactions";
    /** Runs repeated after a serialization failure or a deadlock, by reason: serialization_failure, deadlock. */
    public static final String TRANSACTION_RETRIES = "poolwatch.transaction.retries";

    // cluster
    public static final String CLUSTER_JOBS = "poolwatch.cluster.jobs";

    // read replicas (tags pool, workload; reason, fallback)
    public static final String REASON = "reason";
    public static final String FALLBACK = "fallback";
    public static final String REPLICA_UP = "poolwatch.replica.up";
    public static final String REPLICA_ROUTABLE = "poolwatch.replica.routable";
    public static final String REPLICA_WEIGHT = "poolwatch.replica.weight";
    public static final String REPLICA_LAG_SECONDS = "poolwatch.replica.lag.seconds";
    public static final String REPLICA_LAG_BYTES = "poolwatch.replica.lag.bytes";
    public static final String REPLICA_READS = "poolwatch.replica.reads";
    public static final String REPLICA_SKIPPED = "poolwatch.replica.skipped";
    public static final String REPLICA_FALLBACKS = "poolwatch.replica.fallbacks";

    // What poolwatch observes but does not own: applications, PgBouncers, blocking.
    public static final String APPLICATION = "application";
    public static final String PGBOUNCER = "pgbouncer";
    public static final String USER = "user";
    public static final String APPLICATION_SESSIONS = "poolwatch.application.sessions";
    /**
     * The application's sessions by state (tag {@link #STATE}); {@link #APPLICATION_SESSIONS} is their total, without the tag.
     */
    public static final String APPLICATION_SESSIONS_BY_STATE = "poolwatch.application.sessions.state";
    public static final String APPLICATION_UTILIZATION = "poolwatch.application.utilization.ratio";
    public static final String APPLICATION_EXPECTED_MAX = "poolwatch.application.expected.max";
    public static final String APPLICATION_INSTANCES = "poolwatch.application.instances";
    public static final String APPLICATION_IDLE_IN_TRANSACTION = "poolwatch.application.idle.in.transaction";
    public static final String APPLICATION_IDLE_IN_TRANSACTION_OLDEST = "poolwatch.application.idle.in.transaction.oldest.seconds";
    public static final String APPLICATION_LONGEST_TRANSACTION = "poolwatch.application.transaction.longest.seconds";
    public static final String APPLICATION_LONGEST_STATEMENT = "poolwatch.application.statement.longest.seconds";
    public static final String APPLICATION_LOCK_WAITING = "poolwatch.application.lock.waiting";
    public static final String PGBOUNCER_UP = "poolwatch.pgbouncer.up";
    public static final String PGBOUNCER_CLIENTS_ACTIVE = "poolwatch.pgbouncer.clients.active";
    public static final String PGBOUNCER_CLIENTS_WAITING = "poolwatch.pgbouncer.clients.waiting";
    public static final String PGBOUNCER_SERVERS_ACTIVE = "poolwatch.pgbouncer.servers.active";
    public static final String PGBOUNCER_SERVERS_IDLE = "poolwatch.pgbouncer.servers.idle";
    public static final String PGBOUNCER_SERVERS_USED = "poolwatch.pgbouncer.servers.used";
    public static final String PGBOUNCER_MAX_WAIT = "poolwatch.pgbouncer.max.wait.seconds";
    public static final String PGBOUNCER_AVERAGE_WAIT = "poolwatch.pgbouncer.wait.average.seconds";
    public static final String PGBOUNCER_TRANSACTIONS_PER_SECOND = "poolwatch.pgbouncer.transactions.per.second";
    public static final String PGBOUNCER_QUERIES_PER_SECOND = "poolwatch.pgbouncer.queries.per.second";
    public static final String PGBOUNCER_CLIENT_CONNECTIONS = "poolwatch.pgbouncer.client.connections";
    public static final String PGBOUNCER_MAX_CLIENT_CONNECTIONS = "poolwatch.pgbouncer.max.client.connections";
    public static final String PGBOUNCER_CLIENT_CONNECTION_USE = "poolwatch.pgbouncer.client.connection.use.ratio";
    public static final String PGBOUNCER_DEFAULT_POOL_SIZE = "poolwatch.pgbouncer.default.pool.size";
    public static final String BLOCKED_SESSIONS = "poolwatch.blocking.sessions.blocked";
    public static final String BLOCKED_LONGEST = "poolwatch.blocking.longest.wait.seconds";
    public static final String DEADLOCKS = "poolwatch.deadlocks";

    // pool histograms (Prometheus histograms with DurationHistogram's buckets; Prometheus names, since Micrometer does not render them)
    public static final String CHECKOUT_DURATION = "poolwatch_pool_checkout_duration_seconds";
    public static final String LEASE_DURATION = "poolwatch_pool_lease_duration_seconds";
    public static final String STATEMENT_DURATION = "poolwatch_pool_statement_duration_seconds";
    public static final String CONNECTION_CREATE_DURATION = "poolwatch_pool_connection_create_duration_seconds";

    // OpenTelemetry semantic conventions for database client connection pools (db.client.connection.*)
    public static final String OTEL_POOL_NAME = "db.client.connection.pool.name";
    public static final String OTEL_STATE = "db.client.connection.state";
    public static final String OTEL_COUNT = "db.client.connection.count";
    public static final String OTEL_MAX = "db.client.connection.max";
    public static final String OTEL_IDLE_MAX = "db.client.connection.idle.max";
    public static final String OTEL_IDLE_MIN = "db.client.connection.idle.min";
    public static final String OTEL_PENDING_REQUESTS = "db.client.connection.pending_requests";
    public static final String OTEL_TIMEOUTS = "db.client.connection.timeouts";
    public static final String OTEL_CREATE_TIME = "db.client.connection.create_time";
    public static final String OTEL_WAIT_TIME = "db.client.connection.wait_time";
    public static final String OTEL_USE_TIME = "db.client.connection.use_time";
}
