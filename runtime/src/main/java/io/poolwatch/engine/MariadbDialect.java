package io.poolwatch.engine;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;
import io.agroal.api.exceptionsorter.MySQLExceptionSorter;

/** MariaDB (and MySQL), through MariaDB Connector/J. */
public final class MariadbDialect extends Dialect {

    static final MariadbDialect INSTANCE = new MariadbDialect();

    private MariadbDialect() {
        super(DatabaseKind.MARIADB, "MariaDB", "io.quarkus:quarkus-jdbc-mariadb (or io.quarkus:quarkus-jdbc-mysql)");
    }

    /** Only the MariaDB driver is shipped; it speaks to MySQL servers under its own scheme. */
    @Override
    public Map<String, String> jdbcPrefixes() {
        return Map.of("jdbc:mariadb:", "jdbc:mariadb:", "jdbc:mysql:", "jdbc:mariadb:");
    }

    @Override
    public List<String> seedSchemes() {
        return List.of("mysql", "mariadb");
    }

    @Override
    public Map<String, String> sessionProperties(String applicationName, Duration connectTimeout,
            Optional<Duration> socketTimeout, Optional<Duration> statementTimeout, boolean readOnly,
            Map<String, String> given) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("connectTimeout", Long.toString(connectTimeout.toMillis()));
        p.put("connectionAttributes", "program_name:" + applicationName);
        socketTimeout.ifPresent(t -> p.put(SOCKET_TIMEOUT_PROPERTY, Long.toString(Math.max(1, t.toMillis()))));
        List<String> vars = new ArrayList<>();
        statementTimeout.ifPresent(t -> vars.add("max_statement_time=" + t.toMillis() / 1000.0));
        if (readOnly) {
            vars.add("tx_read_only=1");
        }
        if (given.containsKey("sessionVariables")) {
            vars.add(given.get("sessionVariables"));
        }
        if (!vars.isEmpty()) {
            p.put("sessionVariables", String.join(",", vars));
        }
        return p;
    }

    @Override
    public Map<String, String> guardTimeouts(long guardSeconds) {
        return Map.of(SOCKET_TIMEOUT_PROPERTY, Long.toString(guardSeconds * 1000));
    }

    @Override
    public Optional<Duration> socketTimeout(String driverValue) {
        return wholeNumber(driverValue).map(Duration::ofMillis);
    }

    @Override
    public String socketTimeoutAccepted() {
        return "a whole number of milliseconds (MariaDB Connector/J's unit), 0 for none";
    }

    @Override
    public Optional<DriverTls> tls() {
        return Optional.of(TLS);
    }

    /** Connector/J: useSsl=true without sslMode encrypts without verifying. */
    private static final DriverTls TLS = new DriverTls(List.of("sslMode", "serverSslCert", "useSsl", "useSSL"),
            new DriverTls.ModeProperty("sslMode", TlsMode.DISABLE, "disable, trust, verify-ca, verify-full",
                    MariadbDialect::tlsMode, MariadbDialect::sslMode),
            "serverSslCert",
            // Connector/J's useSsl=true encrypts without verifying.
            new DriverTls.LegacyProperty("useSsl", v -> Boolean.parseBoolean(v) ? TlsMode.REQUIRE : TlsMode.DISABLE),
            Map.of());

    private static Optional<TlsMode> tlsMode(String driverValue) {
        return switch (driverValue.trim().toLowerCase(Locale.ROOT)) {
            case "disable" -> Optional.of(TlsMode.DISABLE);
            case "trust" -> Optional.of(TlsMode.REQUIRE);
            case "verify-ca" -> Optional.of(TlsMode.VERIFY_CA);
            case "verify-full" -> Optional.of(TlsMode.VERIFY_FULL);
            default -> Optional.empty();
        };
    }

    /**
     * Connector/J's {@code sslMode}: it has no prefer or allow, which connect without TLS as before; trust encrypts without
     * verifying, as libpq's require does.
     */
    static String sslMode(TlsMode mode) {
        return switch (mode) {
            case DISABLE, ALLOW, PREFER -> "disable";
            case REQUIRE -> "trust";
            case VERIFY_CA -> "verify-ca";
            case VERIFY_FULL -> "verify-full";
        };
    }

    @Override
    public String truncate(String column, String period) {
        return period.equalsIgnoreCase("day") ? "DATE(" + column + ")" : "DATE_FORMAT(" + column + ", '%Y-%m-01')";
    }

    @Override
    public void beginReadOnlySnapshot(Connection connection, Duration timeout) throws SQLException {
        // The statement time limit comes with the connection (max_statement_time, from the pool's statement timeout).
        try (Statement st = connection.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
    }

    private static final String SUMMARY = """
            SELECT (SELECT COUNT(*) FROM information_schema.processlist WHERE command NOT IN ('Daemon', 'Binlog Dump')
                       AND user NOT IN ('system user', 'event_scheduler')),
                   @@max_connections,
                   0,
                   NULL,
                   (SELECT MAX(time_ms) / 1000 FROM information_schema.processlist WHERE command = 'Query' AND id <> CONNECTION_ID()),
                   NULL""";
    private static final String SESSION_GROUPS = """
            SELECT user, LOWER(command), COUNT(*), MAX(time_ms) / 1000 FROM information_schema.processlist
             WHERE db = DATABASE() AND id <> CONNECTION_ID() AND command NOT IN ('Daemon', 'Binlog Dump')
             GROUP BY user, LOWER(command) ORDER BY 1, 2""";
    private static final String TRANSACTIONS = """
            SELECT MAX(TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6))) / 1000000,
                   MAX(CASE WHEN p.command = 'Sleep' THEN TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)) END) / 1000000
              FROM information_schema.innodb_trx t LEFT JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id
             WHERE t.trx_mysql_thread_id <> CONNECTION_ID()""";
    private static final ServerViews SERVER_VIEWS = new ServerViews(Optional.of(SUMMARY), SESSION_GROUPS,
            Optional.of(TRANSACTIONS));

    @Override
    public ServerViews serverViews() {
        return SERVER_VIEWS;
    }

    /** MariaDB and MySQL access-denied errors: the lag needs REPLICATION CLIENT (MariaDB 10.5+: SLAVE MONITOR). */
    private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    private static final int ER_ACCESS_DENIED = 1045;

    /** {@code read_only} refuses writes to users without the privilege to bypass it; {@code innodb_read_only} to all. */
    @Override
    public Optional<String> readOnlyQuery() {
        return Optional.of("SELECT @@global.read_only OR @@global.innodb_read_only");
    }

    /** The server's host name, port and server_id: a failover to another server changes them (a restart does not). */
    @Override
    public Optional<String> serverIdentityQuery() {
        return Optional.of("SELECT CONCAT(@@hostname, ':', @@port, ', server_id ', @@server_id)");
    }

    @Override
    public ReplicaLag replicaLag(Connection c, String database, Instant now) throws SQLException {
        List<Map<String, String>> rows;
        try {
            rows = rows(c, "SHOW REPLICA STATUS");
        } catch (SQLException e) {
            if (Dialect.isConnectionError(e)) {
                throw e;
            }
            if (isAccessDenied(e)) {
                return notPermitted(database, now, e);
            }
            // Servers before MariaDB 10.5.1 and MySQL 8.0.22 know only the older statement.
            try {
                rows = rows(c, "SHOW SLAVE STATUS");
            } catch (SQLException again) {
                if (Dialect.isConnectionError(again)) {
                    throw again;
                }
                return isAccessDenied(again) ? notPermitted(database, now, again)
                        : ReplicaLag.unknown(database, now, ReplicaLag.State.UNKNOWN,
                                "cannot read the replica status: " + again.getMessage());
            }
        }
        if (rows.isEmpty()) {
            return new ReplicaLag(database, now, ReplicaLag.State.NOT_A_REPLICA, Optional.of(0.0), Optional.empty(),
                    "no replica status: this server does not replicate from a primary, so it has no lag");
        }
        return fromReplicaStatus(rows.get(0), database, now);
    }

    private static ReplicaLag notPermitted(String database, Instant now, SQLException e) {
        return ReplicaLag.unknown(database, now, ReplicaLag.State.UNKNOWN,
                "not permitted to read the replica status (grant REPLICATION "
                        + "CLIENT, or SLAVE MONITOR on MariaDB 10.5 and later, to the monitoring user): " + e.getMessage());
    }

    /** Interprets one row of SHOW REPLICA STATUS / SHOW SLAVE STATUS (MariaDB's or MySQL's column names). */
    public static ReplicaLag fromReplicaStatus(Map<String, String> row, String database, Instant now) {
        Map<String, String> r = new LinkedHashMap<>();
        row.forEach((k, v) -> r.put(k.toLowerCase(Locale.ROOT), v));
        String io = first(r, "slave_io_running", "replica_io_running");
        String sql = first(r, "slave_sql_running", "replica_sql_running");
        String behind = first(r, "seconds_behind_master", "seconds_behind_source");
        Optional<Double> seconds = Optional.empty();
        if (behind != null && !behind.isBlank()) {
            try {
                seconds = Optional.of(Math.max(0, Double.parseDouble(behind.trim())));
            } catch (NumberFormatException e) {
                seconds = Optional.empty();
            }
        }
        if (!"Yes".equalsIgnoreCase(sql)) {
            String error = first(r, "last_sql_error");
            return new ReplicaLag(database, now, ReplicaLag.State.STOPPED, Optional.empty(), Optional.empty(),
                    "the SQL thread is not running (" + (sql == null ? "unknown" : sql) + ")"
                            + (error == null || error.isBlank() ? "" : ": " + error));
        }
        if (!"Yes".equalsIgnoreCase(io)) {
            String error = first(r, "last_io_error");
            return new ReplicaLag(database, now, ReplicaLag.State.NOT_STREAMING, seconds, Optional.empty(),
                    "the I/O thread is not running (" + (io == null ? "unknown" : io) + ")"
                            + (error == null || error.isBlank() ? "" : ": " + error));
        }
        return new ReplicaLag(database, now, ReplicaLag.State.STREAMING, seconds, Optional.empty(),
                seconds.isPresent() ? "streaming" : "streaming; the server reports no Seconds_Behind_Master");
    }

    private static List<Map<String, String>> rows(Connection c, String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String first(Map<String, String> row, String... keys) {
        for (String k : keys) {
            if (row.containsKey(k)) {
                return row.get(k);
            }
        }
        return null;
    }

    private static boolean isAccessDenied(SQLException e) {
        return e.getErrorCode() == ER_SPECIFIC_ACCESS_DENIED || e.getErrorCode() == ER_ACCESS_DENIED
                || "42000".equals(e.getSQLState())
                        && e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("denied");
    }

    @Override
    public ExceptionSorter exceptionSorter() {
        return new MySQLExceptionSorter();
    }

    @Override
    public Optional<String> sleep(Duration duration) {
        return Optional.of("SELECT SLEEP(" + duration.toMillis() / 1000.0 + ")");
    }

    @Override
    public Optional<String> deadlocksCounted() {
        return Optional.of("Deadlocks detected by the whole server (Innodb_deadlocks), the same for each of its databases");
    }

    private static final String MARIADB_FROM = """
             FROM information_schema.innodb_lock_waits w
             JOIN information_schema.innodb_trx r ON r.trx_id = w.requesting_trx_id
             JOIN information_schema.innodb_trx b ON b.trx_id = w.blocking_trx_id
             JOIN information_schema.processlist q ON q.id = r.trx_mysql_thread_id
            WHERE q.db = DATABASE()""";
    private static final String MARIADB_SUMMARY = "SELECT COUNT(DISTINCT r.trx_id), "
            + "MAX(TIMESTAMPDIFF(MICROSECOND, r.trx_wait_started, NOW(6))) / 1000000" + MARIADB_FROM;
    private static final String MARIADB_EDGES = "SELECT r.trx_mysql_thread_id, b.trx_mysql_thread_id" + MARIADB_FROM
            + " ORDER BY r.trx_mysql_thread_id, b.trx_started, b.trx_mysql_thread_id LIMIT ?";
    private static final String MARIADB_SESSIONS = """
            SELECT t.trx_mysql_thread_id, COALESCE(p.user, ''), COALESCE(p.host, ''), LOWER(COALESCE(p.command, '')), t.trx_state,
                   TIMESTAMPDIFF(MICROSECOND, t.trx_wait_started, NOW(6)) / 1000000,
                   TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)) / 1000000,
                   LEFT(COALESCE(p.info, t.trx_query, ''), %d)
              FROM information_schema.innodb_trx t LEFT JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id
             WHERE t.trx_mysql_thread_id IN (%s)""";
    private static final String MARIADB_DEADLOCKS = "SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'";

    @Override
    public LockWaits lockWaits(Connection c, int rowLimit, int maxApplication, int maxQuery) throws SQLException {
        OptionalLong deadlocks = OptionalLong.empty();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(MARIADB_DEADLOCKS)) {
            if (rs.next()) {
                deadlocks = OptionalLong.of(rs.getLong(2));
            }
        }
        int blocked;
        Optional<Duration> longest;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(MARIADB_SUMMARY)) {
            rs.next();
            blocked = rs.getInt(1);
            longest = seconds(rs, 2);
        }
        if (blocked == 0) {
            return new LockWaits(deadlocks, 0, Optional.empty(), List.of(), false);
        }
        Map<Long, List<Long>> blockersOf = new LinkedHashMap<>();
        Set<Long> involved = new LinkedHashSet<>();
        int edges = 0;
        try (PreparedStatement ps = c.prepareStatement(MARIADB_EDGES)) {
            ps.setInt(1, rowLimit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    edges++;
                    long waiter = rs.getLong(1);
                    long blocker = rs.getLong(2);
                    List<Long> list = blockersOf.computeIfAbsent(waiter, k -> new ArrayList<>());
                    if (!list.contains(blocker)) {
                        list.add(blocker);
                    }
                    involved.add(waiter);
                    involved.add(blocker);
                }
            }
        }
        List<LockWaits.Session> rows = new ArrayList<>();
        if (!involved.isEmpty()) {
            // The ids are numbers the server just returned, so writing them into the statement injects nothing.
            StringJoiner ids = new StringJoiner(",");
            involved.forEach(id -> ids.add(Long.toString(id)));
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(MARIADB_SESSIONS.formatted(maxQuery, ids))) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String user = rs.getString(2);
                    String host = rs.getString(3);
                    String application = cut(user + "@" + host.replaceFirst(":\\d+$", ""), maxApplication);
                    boolean waits = blockersOf.containsKey(id);
                    rows.add(new LockWaits.Session(id, application, user, rs.getString(4),
                            waits ? seconds(rs, 6) : Optional.empty(), seconds(rs, 7), rs.getString(8),
                            blockersOf.getOrDefault(id, List.of())));
                }
            }
        }
        return new LockWaits(deadlocks, blocked, longest, rows, edges >= rowLimit);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** The processlist columns, then the transaction's (null without innodb_trx), then the program name ('' without it). */
    private static final String CLIENT_SESSIONS = """
            SELECT %s, p.user, p.host, LOWER(p.command), p.time_ms / 1000,
                   %s, CASE WHEN p.command = 'Query' THEN p.time_ms / 1000 END, %s, COUNT(*) OVER ()
              FROM information_schema.processlist p %s %s
             WHERE p.db = DATABASE() AND p.id <> CONNECTION_ID() AND p.command NOT IN ('Daemon', 'Binlog Dump')
               AND p.user NOT IN ('system user', 'event_scheduler') %s
             ORDER BY p.id
             LIMIT ?""";
    private static final String TRX_JOIN = "LEFT JOIN information_schema.innodb_trx t ON t.trx_mysql_thread_id = p.id";
    private static final String ATTR_JOIN = "LEFT JOIN performance_schema.session_connect_attrs a "
            + "ON a.processlist_id = p.id AND a.attr_name = 'program_name'";

    @Override
    public ClientSessions clientSessions(Connection c, Collection<String> excluded, int limit) throws SQLException {
        boolean performanceSchema = false;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@performance_schema")) {
            performanceSchema = rs.next() && rs.getInt(1) == 1;
        }
        // innodb_trx needs the PROCESS privilege and performance_schema a grant of its own: without one, the other
        // still counts; without both, what the processlist alone says (transaction ages and lock waits unknown).
        if (performanceSchema) {
            try {
                return clientSessions(c, excluded, limit, true, true);
            } catch (SQLException e) {
                // fall through: without the application names
            }
        }
        try {
            return clientSessions(c, excluded, limit, false, true);
        } catch (SQLException e) {
            return clientSessions(c, excluded, limit, false, false);
        }
    }

    private static ClientSessions clientSessions(Connection c, Collection<String> excluded, int limit,
            boolean performanceSchema, boolean transactions) throws SQLException {
        String program = performanceSchema ? "COALESCE(a.attr_value, '')" : "''";
        String excludeOwn = "";
        if (performanceSchema) {
            excludeOwn = "AND COALESCE(a.attr_value, '') NOT IN (" + String.join(", ", excluded.stream().map(n -> "?").toList())
                    + ")";
        }
        String sql = CLIENT_SESSIONS.formatted(program,
                transactions ? "TIMESTAMPDIFF(MICROSECOND, t.trx_started, NOW(6)) / 1000000" : "NULL",
                transactions ? "COALESCE(t.trx_state = 'LOCK WAIT', 0)" : "0",
                transactions ? TRX_JOIN : "", performanceSchema ? ATTR_JOIN : "", excludeOwn);
        List<ObservedSession> sessions = new ArrayList<>();
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (performanceSchema) {
                for (String name : excluded) {
                    ps.setString(i++, name);
                }
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String command = rs.getString(4);
                    Optional<Duration> trx = seconds(rs, 6);
                    boolean idleInTx = command.equals("sleep") && trx.isPresent();
                    sessions.add(
                            new ObservedSession(rs.getString(1), rs.getString(2), clientAddress(rs.getString(3)), command,
                                    idleInTx,
                                    seconds(rs, 5), trx, seconds(rs, 7), rs.getInt(8) == 1));
                    total = rs.getInt(9);
                }
            }
        }
        return new ClientSessions(sessions, total, performanceSchema);
    }

    /**
     * The client address of a processlist host: without its port ({@code 10.1.2.3:51234}, {@code [::1]:51234}); a host
     * without a port ({@code localhost}) came through the socket.
     */
    public static String clientAddress(String host) {
        if (host == null || host.isEmpty()) {
            return ObservedSession.LOCAL;
        }
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(1, end) : host;
        }
        int colon = host.lastIndexOf(':');
        if (colon < 0) {
            return ObservedSession.LOCAL;
        }
        if (host.indexOf(':') != colon) {
            // An IPv6 address without brackets: the last part is the port only if what is left is still an address.
            String head = host.substring(0, colon);
            return IpLiteral.parse(head).isPresent() ? head : host;
        }
        return host.substring(0, colon);
    }

    private static final String SESSION_TLS = "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')";

    @Override
    public SessionTls sessionTls(Statement st) throws SQLException {
        Optional<String> version = Optional.empty();
        Optional<String> cipher = Optional.empty();
        try (ResultSet rs = st.executeQuery(SESSION_TLS)) {
            while (rs.next()) {
                String value = rs.getString(2);
                Optional<String> v = value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
                if ("Ssl_cipher".equalsIgnoreCase(rs.getString(1))) {
                    cipher = v;
                } else {
                    version = v;
                }
            }
        }
        return new SessionTls(cipher.isPresent(), version, cipher);
    }

    /** MariaDB servers take {@code SET STATEMENT ... FOR}; MySQL servers, which this driver also speaks to, do not. */
    @Override
    public UnaryOperator<String> statementTimeout(Connection c, Duration timeout) throws SQLException {
        if (!c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("mariadb")) {
            return UnaryOperator.identity();
        }
        String seconds = BigDecimal.valueOf(Math.max(1, timeout.toMillis())).movePointLeft(3).stripTrailingZeros()
                .toPlainString();
        return sql -> "SET STATEMENT max_statement_time=" + seconds + " FOR " + sql;
    }

    @Override
    public List<String> sessionStates() {
        return List.of("query", "sleep");
    }

    @Override
    public boolean backslashEscapes() {
        return true;
    }
}
