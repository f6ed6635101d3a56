package io.poolwatch.engine;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;

/** PostgreSQL, through pgjdbc. */
public final class PostgresDialect extends Dialect {

    static final PostgresDialect INSTANCE = new PostgresDialect();

    /** pgjdbc's default factory: verifies as sslmode says, with sslrootcert as the CA. */
    public static final String SSL_FACTORY = "org.postgresql.ssl.LibPQFactory";

    private PostgresDialect() {
        super(DatabaseKind.POSTGRESQL, "PostgreSQL", "io.quarkus:quarkus-jdbc-postgresql");
    }

    @Override
    public Map<String, String> jdbcPrefixes() {
        return Map.of("jdbc:postgresql:", "jdbc:postgresql:");
    }

    @Override
    public List<String> seedSchemes() {
        return List.of("postgres", "postgresql");
    }

    @Override
    public Map<String, String> sessionProperties(String applicationName, Duration connectTimeout,
            Optional<Duration> socketTimeout, Optional<Duration> statementTimeout, boolean readOnly,
            Map<String, String> given) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ApplicationName", applicationName);
        p.put("connectTimeout", Long.toString(ceilSeconds(connectTimeout)));
        p.put("tcpKeepAlive", "true");
        // pgjdbc takes whole seconds; rounding up keeps it above the statement timeout.
        socketTimeout.ifPresent(t -> p.put(SOCKET_TIMEOUT_PROPERTY, Long.toString(ceilSeconds(t))));
        // Server-side settings at connection start-up: no extra round trip, and enforced by the server.
        StringBuilder options = new StringBuilder();
        statementTimeout.ifPresent(t -> options.append("-c statement_timeout=").append(t.toMillis()));
        if (readOnly) {
            options.append(options.isEmpty() ? "" : " ").append("-c default_transaction_read_only=on");
        }
        if (given.containsKey("options")) {
            options.append(options.isEmpty() ? "" : " ").append(given.get("options"));
        }
        if (!options.isEmpty()) {
            p.put("options", options.toString());
        }
        return p;
    }

    @Override
    public Map<String, String> guardTimeouts(long guardSeconds) {
        return Map.of(SOCKET_TIMEOUT_PROPERTY, Long.toString(guardSeconds), "loginTimeout", Long.toString(guardSeconds));
    }

    @Override
    public Optional<Duration> socketTimeout(String driverValue) {
        return wholeNumber(driverValue).map(Duration::ofSeconds);
    }

    @Override
    public String socketTimeoutAccepted() {
        return "a whole number of seconds (pgjdbc's unit), 0 for none";
    }

    @Override
    public Optional<DriverTls> tls() {
        return Optional.of(TLS);
    }

    /** pgjdbc: ssl=true (or empty) without sslmode means verify-full; any other value prefer. */
    private static final DriverTls TLS = new DriverTls(List.of("sslmode", "ssl", "sslrootcert", "sslfactory"),
            new DriverTls.ModeProperty("sslmode", TlsMode.PREFER, "disable, allow, prefer, require, verify-ca, verify-full",
                    TlsMode::fromLibpq, TlsMode::configName),
            "sslrootcert",
            // pgjdbc's ssl=true (or a bare ssl) verifies in full.
            new DriverTls.LegacyProperty("ssl",
                    v -> v.isEmpty() || v.equalsIgnoreCase("true") ? TlsMode.VERIFY_FULL : TlsMode.PREFER),
            Map.of("sslfactory", SSL_FACTORY));

    @Override
    public String truncate(String column, String period) {
        return "date_trunc('" + period.toLowerCase(Locale.ROOT) + "', " + column + ")";
    }

    @Override
    public void beginReadOnlySnapshot(Connection connection, Duration timeout) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            st.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
        }
    }

    @Override
    public boolean tableSample() {
        return true;
    }

    @Override
    public boolean notValidConstraints() {
        return true;
    }

    private static final String SUMMARY = """
            SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),
                   current_setting('max_connections')::int,
                   (SELECT coalesce(sum(setting::int), 0) FROM pg_settings
                     WHERE name IN ('superuser_reserved_connections', 'reserved_connections')),
                   (SELECT extract(epoch FROM max(now() - state_change)) FROM pg_stat_activity
                     WHERE state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()),
                   (SELECT extract(epoch FROM max(now() - query_start)) FROM pg_stat_activity
                     WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()),
                   (SELECT extract(epoch FROM max(now() - xact_start)) FROM pg_stat_activity
                     WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())""";
    private static final String SESSION_GROUPS = """
            SELECT coalesce(application_name, ''), coalesce(state, 'unknown'), count(*), extract(epoch FROM max(now() - state_change))
              FROM pg_stat_activity
             WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
             GROUP BY 1, 2 ORDER BY 1, 2""";
    private static final ServerViews SERVER_VIEWS = new ServerViews(Optional.of(SUMMARY), SESSION_GROUPS, Optional.empty());

    @Override
    public ServerViews serverViews() {
        return SERVER_VIEWS;
    }

    /**
     * On a standby: whether it is one, whether replay is paused, whether a WAL receiver runs, WAL received but not
     * replayed, and seconds since the last replayed commit (0 when all received WAL is replayed, so an idle primary does
     * not look like lag).
     */
    private static final String REPLICA_LAG = """
            SELECT pg_is_in_recovery() AS recovery,
                   CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END AS paused,
                   EXISTS (SELECT 1 FROM pg_stat_wal_receiver) AS receiving,
                   pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint AS bytes,
                   CASE WHEN NOT pg_is_in_recovery() THEN NULL
                        WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
                        ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8 END AS seconds
            """;

    @Override
    public ReplicaLag replicaLag(Connection c, String database, Instant now) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(REPLICA_LAG)) {
            rs.next();
            if (!rs.getBoolean("recovery")) {
                return new ReplicaLag(database, now, ReplicaLag.State.NOT_A_REPLICA, Optional.of(0.0), Optional.empty(),
                        "not in recovery: this database is a primary (or a promoted replica), so it has no lag");
            }
            boolean paused = rs.getBoolean("paused");
            boolean receiving = rs.getBoolean("receiving");
            long bytes = rs.getLong("bytes");
            Optional<Long> lagBytes = rs.wasNull() ? Optional.empty() : Optional.of(Math.max(0, bytes));
            double seconds = rs.getDouble("seconds");
            Optional<Double> lagSeconds = rs.wasNull() ? Optional.empty() : Optional.of(Math.max(0, seconds));
            ReplicaLag.State state = paused ? ReplicaLag.State.PAUSED
                    : receiving ? ReplicaLag.State.STREAMING : ReplicaLag.State.NOT_STREAMING;
            String detail = switch (state) {
                case PAUSED -> "replay paused (pg_wal_replay_pause): WAL is received but not applied";
                case NOT_STREAMING ->
                    "in recovery without a WAL receiver: the primary is unreachable, or WAL comes from an archive only";
                default -> "streaming";
            };
            if (lagSeconds.isEmpty()) {
                detail += "; no transaction replayed since the standby started, so the lag in seconds is unknown";
            }
            return new ReplicaLag(database, now, state, lagSeconds, lagBytes, detail);
        } catch (SQLException e) {
            if (isConnectionError(e)) {
                throw e;
            }
            return ReplicaLag.unknown(database, now, ReplicaLag.State.UNKNOWN, "cannot read the replay lag: " + e.getMessage());
        }
    }

    private static final String LOCK_WAITS = """
            WITH waiting AS (
                SELECT pid, pg_blocking_pids(pid) AS blockers
                  FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
            ), blocked AS (
                SELECT pid, blockers FROM waiting WHERE cardinality(blockers) > 0
            ), involved AS (
                SELECT pid FROM blocked UNION SELECT unnest(blockers) FROM blocked
            ), summary AS (
                SELECT (SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()) AS deadlocks,
                       (SELECT count(*) FROM blocked) AS blocked,
                       (SELECT extract(epoch FROM max(now() - a.query_start)) FROM blocked b JOIN pg_stat_activity a ON a.pid = b.pid) AS longest
            )
            SELECT s.deadlocks, s.blocked, s.longest, r.pid, r.application, r.usename, r.state, r.waited, r.held, r.query, r.blockers
              FROM summary s LEFT JOIN LATERAL (
                SELECT a.pid, left(coalesce(a.application_name, ''), %d) AS application, coalesce(a.usename::text, '') AS usename,
                       coalesce(a.state, '') AS state,
                       CASE WHEN b.pid IS NOT NULL THEN extract(epoch FROM now() - a.query_start) END AS waited,
                       extract(epoch FROM now() - a.xact_start) AS held,
                       left(a.query, %d) AS query, b.blockers
                  FROM involved i JOIN pg_stat_activity a ON a.pid = i.pid LEFT JOIN blocked b ON b.pid = a.pid
                 ORDER BY (b.pid IS NULL) DESC, a.pid
                 LIMIT ?) r ON true""";

    @Override
    public LockWaits lockWaits(Connection c, int rowLimit, int maxApplication, int maxQuery) throws SQLException {
        List<LockWaits.Session> rows = new ArrayList<>();
        OptionalLong deadlocks = OptionalLong.empty();
        int blocked = 0;
        Optional<Duration> longest = Optional.empty();
        try (PreparedStatement ps = c.prepareStatement(LOCK_WAITS.formatted(maxApplication, maxQuery))) {
            ps.setInt(1, rowLimit);
            try (ResultSet rs = ps.executeQuery()) {
                boolean first = true;
                while (rs.next()) {
                    // The summary is repeated on every row (one row of it alone when no one waits): read once.
                    if (first) {
                        first = false;
                        long d = rs.getLong(1);
                        deadlocks = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(d);
                        blocked = rs.getInt(2);
                        longest = seconds(rs, 3);
                    }
                    long pid = rs.getLong(4);
                    if (rs.wasNull()) {
                        continue; // the summary alone: no one is blocked
                    }
                    List<Long> blockers = new ArrayList<>();
                    Array array = rs.getArray(11);
                    if (array != null) {
                        for (Object o : (Object[]) array.getArray()) {
                            blockers.add(((Number) o).longValue());
                        }
                        array.free();
                    }
                    rows.add(new LockWaits.Session(pid, rs.getString(5), rs.getString(6), rs.getString(7), seconds(rs, 8),
                            seconds(rs, 9), rs.getString(10), blockers));
                }
            }
        }
        return new LockWaits(deadlocks, blocked, longest, rows, rows.size() >= rowLimit);
    }

    private static final String CLIENT_SESSIONS = """
            SELECT coalesce(application_name, ''), coalesce(usename, ''), coalesce(host(client_addr), 'local'),
                   coalesce(state, 'unknown'),
                   extract(epoch FROM now() - state_change),
                   extract(epoch FROM now() - xact_start),
                   CASE WHEN state = 'active' THEN extract(epoch FROM now() - query_start) END,
                   coalesce(wait_event_type = 'Lock', false),
                   count(*) OVER ()
              FROM pg_stat_activity
             WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
               AND NOT (coalesce(application_name, '') = ANY (?))
             ORDER BY backend_start
             LIMIT ?""";

    @Override
    public ClientSessions clientSessions(Connection c, Collection<String> excluded, int limit) throws SQLException {
        List<ObservedSession> sessions = new ArrayList<>();
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement(CLIENT_SESSIONS)) {
            Array names = c.createArrayOf("text", excluded.toArray());
            ps.setArray(1, names);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString(4);
                    sessions.add(new ObservedSession(rs.getString(1), rs.getString(2), rs.getString(3), state,
                            state.startsWith("idle in transaction"), seconds(rs, 5), seconds(rs, 6), seconds(rs, 7),
                            rs.getBoolean(8)));
                    total = rs.getInt(9);
                }
            } finally {
                names.free();
            }
        }
        return new ClientSessions(sessions, total, true);
    }

    private static final String SESSION_TLS = "SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

    @Override
    public SessionTls sessionTls(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery(SESSION_TLS)) {
            if (!rs.next()) {
                throw new SQLException("pg_stat_ssl has no row for this session");
            }
            return new SessionTls(rs.getBoolean(1), Optional.ofNullable(rs.getString(2)), Optional.ofNullable(rs.getString(3)));
        }
    }

    /** libpq's {@code target_session_attrs}, which pgjdbc ignores, as pgjdbc's {@code targetServerType}. */
    private static final Map<String, String> TARGET_SERVER_TYPES = Map.of("any", "any", "read-write", "primary", "primary",
            "primary", "read-only", "secondary", "standby", "secondary", "prefer-standby", "preferSecondary");

    /**
     * libpq's {@code target_session_attrs} of a multi-host URL: which host of the list to connect to. pgjdbc does not know
     * it and would connect to the first host that answers, a standby among them; it takes {@code targetServerType}.
     */
    @Override
    public Optional<Map.Entry<String, String>> seedParameter(String key, String value) {
        if (!key.equalsIgnoreCase("target_session_attrs")) {
            return Optional.empty();
        }
        String type = TARGET_SERVER_TYPES.get(value.trim().toLowerCase(Locale.ROOT));
        if (type == null) {
            throw new IllegalArgumentException("target_session_attrs=" + value
                    + " is not known; accepted: any, read-write, read-only, primary, standby, prefer-standby");
        }
        return Optional.of(Map.entry("targetServerType", type));
    }

    @Override
    public Optional<String> readOnlyQuery() {
        return Optional.of("SELECT pg_is_in_recovery()");
    }

    /**
     * The server's address and port as it sees them ({@code local} over a Unix socket) and when its postmaster started: a
     * failover to another server changes the first, a restart the second. A promoted standby keeps the primary's
     * system identifier, so that cannot tell them apart.
     */
    @Override
    public Optional<String> serverIdentityQuery() {
        return Optional.of("SELECT coalesce(host(inet_server_addr()), 'local') || ':' || coalesce(inet_server_port()::text, '')"
                + " || ', started ' || to_char(pg_postmaster_start_time() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
    }

    @Override
    public boolean listsStandbys() {
        return true;
    }

    @Override
    public ExceptionSorter exceptionSorter() {
        return new PostgreSQLExceptionSorter();
    }

    @Override
    public Optional<String> sleep(Duration duration) {
        return Optional.of("SELECT pg_sleep(" + duration.toMillis() / 1000.0 + ")");
    }

    @Override
    public Optional<String> deadlocksCounted() {
        return Optional.of("Deadlocks detected in this database (pg_stat_database.deadlocks)");
    }

    @Override
    public List<String> sessionStates() {
        return STATES;
    }

    private static final List<String> STATES = List.of("active", "idle", "idle in transaction",
            "idle in transaction (aborted)");

    @Override
    public String migrations() {
        return "postgresql";
    }

    @Override
    public boolean ownSchema() {
        return true;
    }

    @Override
    public Optional<String> onDuplicateKeyIgnore(String keyColumn) {
        return Optional.of(" ON CONFLICT (" + keyColumn + ") DO NOTHING");
    }

}
