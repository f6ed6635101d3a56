package io.poolwatch.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;

/**
 * What differs between the database engines poolwatch connects to, answered by one class per engine: how its driver
 * takes the settings the server must enforce, what TLS and socket timeouts look like in the driver's terms, the SQL a
 * consistency check needs, how poolwatch's own tables are laid out, and what the engine has at all (replication, a
 * network, TABLESAMPLE). Everything else in poolwatch asks its pool's dialect ({@link DatabaseKind#dialect()}) instead of
 * branching on the engine; adding an engine means adding one class here and its contract-test subclass.
 */
public abstract sealed class Dialect permits PostgresDialect, MariadbDialect, H2Dialect {

    private final DatabaseKind kind;
    private final String displayName;
    private final String driverDependency;

    Dialect(DatabaseKind kind, String displayName, String driverDependency) {
        this.kind = kind;
        this.displayName = displayName;
        this.driverDependency = driverDependency;
    }

    /** The engine. */
    public final DatabaseKind kind() {
        return kind;
    }

    /** The engine's name for people: {@code PostgreSQL}, {@code MariaDB}, {@code H2}. */
    public final String displayName() {
        return displayName;
    }

    // ---- the driver and its connections -------------------------------------------------------------------------------

    /**
     * The JDBC URL prefixes that mean this engine (lower-case), each with the prefix the URL is given to the driver with
     * ({@code jdbc:mysql:} goes to MariaDB Connector/J as {@code jdbc:mariadb:}).
     */
    public abstract Map<String, String> jdbcPrefixes();

    /** The schemes of the seed guide's URL form ({@code postgresql://user:pass@host/db}) that mean this engine. */
    public List<String> seedSchemes() {
        return List.of();
    }

    /** The Quarkus extension that brings the driver, named when no driver on the class path takes the URL. */
    public final String driverDependency() {
        return driverDependency;
    }

    /**
     * Whether connections cross a network: only then do TLS, socket and login timeouts apply (H2 runs in the process).
     */
    public boolean networked() {
        return true;
    }

    /**
     * The driver properties that carry what the server must enforce, in this driver's terms: the application name, the
     * connect timeout, the statement timeout and read-only, and the socket timeout the driver enforces. {@code given}
     * are the operator's own properties: options this merges into its own (pgjdbc's {@code options}, MariaDB's
     * {@code sessionVariables}) are merged, the others are the caller's to add.
     */
    public abstract Map<String, String> sessionProperties(String applicationName, Duration connectTimeout,
            Optional<Duration> socketTimeout, Optional<Duration> statementTimeout, boolean readOnly, Map<String, String> given);

    /**
     * The names in {@code given} not passed to the driver as they are: each engine's options that
     * {@link #sessionProperties} merges into its own (pgjdbc's {@code options}, Connector/J's {@code sessionVariables}),
     * and so never another engine's. The caller adds the others as they are.
     */
    public final List<String> withheldProperties() {
        return List.of("options", "sessionVariables");
    }

    /** SQL run on each new connection, for what the driver takes no property for (H2's statement timeout). */
    public Optional<String> initialSql(Optional<Duration> statementTimeout) {
        return Optional.empty();
    }

    /**
     * Properties that bound the monitor's own connections, which must never hang: a socket and login timeout of
     * {@code guardSeconds}, in the driver's unit. Those the operator gave are kept.
     */
    public Map<String, String> guardTimeouts(long guardSeconds) {
        return Map.of();
    }

    /** The driver's own socket timeout property; it is refused beside the {@code socket-timeout} key. */
    public static final String SOCKET_TIMEOUT_PROPERTY = "socketTimeout";

    /** A {@value #SOCKET_TIMEOUT_PROPERTY} value in the driver's unit, as a duration; empty when it is not one. */
    public Optional<Duration> socketTimeout(String driverValue) {
        return Optional.empty();
    }

    /** What {@link #socketTimeout(String)} accepts, for messages. */
    public String socketTimeoutAccepted() {
        return "nothing: " + displayName() + " takes no socket timeout";
    }

    // ---- TLS ------------------------------------------------------------------------------------------------------------

    /** TLS in the driver's terms; empty for an engine that takes no TLS settings (H2). */
    public Optional<DriverTls> tls() {
        return Optional.empty();
    }

    /**
     * Whether the session of {@code st}'s connection is encrypted, with which protocol version and cipher, as the server
     * says; never called where {@link #tls()} is empty.
     *
     * @throws SQLException when the server cannot say
     */
    public SessionTls sessionTls(Statement st) throws SQLException {
        throw new SQLFeatureNotSupportedException(displayName() + " takes no TLS settings");
    }

    /** A session's TLS as its server reports it. */
    public record SessionTls(boolean encrypted, Optional<String> version, Optional<String> cipher) {
    }

    /**
     * How a driver spells TLS.
     *
     * @param keys every property (and URL parameter) of the driver that sets TLS, canonically spelled
     * @param modeProperty the property that takes the mode
     * @param caKey the property that names the CA file
     * @param legacyProperty the property older configurations set TLS with instead of the mode
     * @param fixed properties set with every mode (pgjdbc's socket factory, so that none from elsewhere skips verifying)
     */
    public record DriverTls(List<String> keys, ModeProperty modeProperty, String caKey, LegacyProperty legacyProperty,
            Map<String, String> fixed) {

        /**
         * The driver's property that takes the TLS mode.
         *
         * @param key its name
         * @param driverDefault what the driver does when nothing sets TLS
         * @param accepted the values it accepts, for messages
         * @param read reads a value; empty when the driver does not know it
         * @param write the value for a mode, or the nearest the driver has
         */
        public record ModeProperty(String key, TlsMode driverDefault, String accepted,
                Function<String, Optional<TlsMode>> read, Function<TlsMode, String> write) {
        }

        /**
         * The property older configurations set TLS with instead of the mode ({@code ssl}, {@code useSsl}).
         *
         * @param key its name
         * @param read what a value of it means
         */
        public record LegacyProperty(String key, Function<String, TlsMode> read) {
        }

        /** The property that takes the mode. */
        public String modeKey() {
            return modeProperty.key();
        }

        /** What the driver does when nothing sets TLS. */
        public TlsMode defaultMode() {
            return modeProperty.driverDefault();
        }

        /** The values the mode property accepts, for messages. */
        public String modesAccepted() {
            return modeProperty.accepted();
        }

        /** A value of {@link #modeKey()}; empty when the driver does not know it. */
        public Optional<TlsMode> mode(String driverValue) {
            return modeProperty.read().apply(driverValue);
        }

        /** The value of {@link #modeKey()} that makes the driver use {@code mode}, or the nearest it has. */
        public String modeValue(TlsMode mode) {
            return modeProperty.write().apply(mode);
        }

        /** The legacy property in {@code given} and the mode its value means; empty when {@code given} has none. */
        public Optional<Map.Entry<String, TlsMode>> legacyMode(Map<String, String> given) {
            String key = legacyProperty.key();
            String value = given.get(key);
            return value == null ? Optional.empty() : Optional.of(Map.entry(key, legacyProperty.read().apply(value.trim())));
        }

        /** The properties that make the driver use {@code mode}, verifying against {@code caFile} when it verifies. */
        public Map<String, String> properties(TlsMode mode, Optional<String> caFile) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put(modeKey(), modeValue(mode));
            p.putAll(fixed);
            if (mode.verifies()) {
                caFile.ifPresent(c -> p.put(caKey, c));
            }
            return p;
        }
    }

    // ---- consistency checks ---------------------------------------------------------------------------------------------

    /** {@code column} truncated to the start of its {@code day} or {@code month}. */
    public abstract String truncate(String column, String period);

    /**
     * Begins, on {@code connection} (auto-commit off), a transaction that reads one snapshot and writes nothing, with
     * its statements cut off after {@code timeout} where the engine can do that per transaction.
     */
    public abstract void beginReadOnlySnapshot(Connection connection, Duration timeout) throws SQLException;

    /**
     * How each statement of a check on {@code c} is cut off by the server after {@code timeout}, where the snapshot
     * transaction's own setting does not do it: MariaDB's {@code SET STATEMENT max_statement_time=... FOR}. The
     * statement as it is elsewhere.
     */
    public UnaryOperator<String> statementTimeout(Connection c, Duration timeout) throws SQLException {
        return UnaryOperator.identity();
    }

    /** Whether {@code TABLESAMPLE} is there for sampled checks. */
    public boolean tableSample() {
        return false;
    }

    /** Whether constraints can be added NOT VALID (and so be checked later). */
    public boolean notValidConstraints() {
        return false;
    }

    // ---- what the engine has --------------------------------------------------------------------------------------------

    /** Whether the engine replicates, so that a pool can be a read replica. */
    public boolean replicates() {
        return true;
    }

    /**
     * The replication lag of the database {@code c} is connected to, as it reports it itself.
     *
     * @throws SQLException only for a connection error ({@link #isConnectionError}); any other failure reading it is
     *         a lag in state UNKNOWN with the error in its detail
     */
    public ReplicaLag replicaLag(Connection c, String database, Instant now) throws SQLException {
        return ReplicaLag.unknown(database, now, ReplicaLag.State.UNKNOWN, displayName() + " has no replication");
    }

    /**
     * A parameter of a seed URL ({@code postgresql://...?key=value}) that the driver spells otherwise, in the driver's
     * terms; empty to keep it in the URL as it is.
     *
     * @throws IllegalArgumentException naming the parameter, its value and what is accepted, for a value with no
     *         translation
     */
    public Optional<Map.Entry<String, String>> seedParameter(String key, String value) {
        return Optional.empty();
    }

    /**
     * The query whose one boolean column says the server refuses writes now: PostgreSQL's {@code pg_is_in_recovery()},
     * MariaDB's {@code read_only} or {@code innodb_read_only}; empty where the engine has no such state.
     */
    public Optional<String> readOnlyQuery() {
        return Optional.empty();
    }

    /**
     * Whether the server {@code c} is connected to takes writes now, asked within {@code timeout}; empty where the engine
     * has no such state ({@link #readOnlyQuery()}). The bound is the connection's network timeout for the question, as
     * JDBC's {@code isValid} bounds its own: a server that has stopped answering cannot be reached by a cancel request
     * either. The connection's own network timeout is put back after.
     *
     * @throws SQLException when the server does not answer within {@code timeout} (the driver closes the connection), or
     *         the connection is broken
     */
    public Optional<ServerRole> serverRole(Connection c, Duration timeout) throws SQLException {
        Optional<String> query = readOnlyQuery();
        if (query.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(askOne(c, timeout, query.get(), rs -> rs.getBoolean(1) ? ServerRole.READ_ONLY : ServerRole.PRIMARY));
    }

    /**
     * The query whose one text column names the server a connection reached, so that a failover to another server (and on
     * PostgreSQL a restart) shows as a change; empty where the engine has none.
     */
    public Optional<String> serverIdentityQuery() {
        return Optional.empty();
    }

    /**
     * Which server {@code c} is connected to ({@link #serverIdentityQuery()}), asked within {@code timeout} as
     * {@link #serverRole} is; empty where the engine cannot say.
     */
    public Optional<String> serverIdentity(Connection c, Duration timeout) throws SQLException {
        Optional<String> query = serverIdentityQuery();
        if (query.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(askOne(c, timeout, query.get(), rs -> rs.getString(1)));
    }

    /** What reads a row's answer. */
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** One row's answer to {@code query}, under a network timeout of {@code timeout}; the connection's own is put back. */
    private <T> T askOne(Connection c, Duration timeout, String query, RowReader<T> reader) throws SQLException {
        int before = c.getNetworkTimeout();
        c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            if (!rs.next()) {
                throw new SQLException(displayName() + " answered " + query + " with no row");
            }
            return reader.read(rs);
        } finally {
            if (!c.isClosed()) {
                c.setNetworkTimeout(Runnable::run, before);
            }
        }
    }

    /** Whether a primary lists its standbys and their lag (PostgreSQL's pg_stat_replication). */
    public boolean listsStandbys() {
        return false;
    }

    /** SQLState class 08 (connection exception) and 57P0x (server shutting down): the database, not the query, failed. */
    public static boolean isConnectionError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    /** How Agroal tells a connection that cannot be used again from a failed statement, on this engine. */
    public ExceptionSorter exceptionSorter() {
        return ExceptionSorter.defaultExceptionSorter();
    }

    /** A statement that takes {@code duration} on the server (the simulator's slow fault); empty for none. */
    public Optional<String> sleep(Duration duration) {
        return Optional.empty();
    }

    /** Whether the engine shows which session waits on which lock. */
    public boolean showsLockWaits() {
        return true;
    }

    /**
     * Who waits on whose lock in the database {@code c} is connected to, reading at most {@code rowLimit} rows.
     *
     * @param maxApplication characters of an application name kept
     * @param maxQuery characters of a statement's text kept
     * @throws SQLException when the views cannot be read; never called where {@link #showsLockWaits()} is false
     */
    public LockWaits lockWaits(Connection c, int rowLimit, int maxApplication, int maxQuery) throws SQLException {
        throw new SQLFeatureNotSupportedException(displayName() + " has no view of which session waits on which");
    }

    /** A time a driver or pool takes in whole seconds: rounded up, and at least 1. */
    public static long ceilSeconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** A driver's whole number from 0 to Integer.MAX_VALUE; empty when the text is not one. */
    static Optional<Long> wholeNumber(String text) {
        long n;
        try {
            n = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return n < 0 || n > Integer.MAX_VALUE ? Optional.empty() : Optional.of(n);
    }

    /** A number of seconds in column {@code column}, as a duration (negative read as zero); empty for NULL. */
    public static Optional<Duration> seconds(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        if (rs.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.max(0, Math.round(value * 1000))));
    }

    /** What the engine's deadlock count counts, for the counter's description; empty when it keeps none. */
    public Optional<String> deadlocksCounted() {
        return Optional.empty();
    }

    /** Whether the engine shows other applications' sessions (names, addresses, transaction ages). */
    public boolean showsApplications() {
        return true;
    }

    /**
     * The client sessions of the database {@code c} is connected to, but this one and those whose application name is
     * one of {@code excludedNames}, at most {@code limit} of them.
     *
     * @throws SQLException when the views cannot be read; never called where {@link #showsApplications()} is false
     */
    public ClientSessions clientSessions(Connection c, Collection<String> excludedNames, int limit) throws SQLException {
        throw new SQLFeatureNotSupportedException(displayName() + " reports no application names of its sessions");
    }

    /**
     * The SQL of the server's views of its sessions, each read by one statement.
     *
     * @param summary one row: client sessions on the server, max_connections, slots reserved for superusers, the oldest
     *        idle-in-transaction age, the longest running statement, the oldest transaction (ages in seconds, NULL where
     *        none or unknown); empty when the engine has no such view (the sessions are then counted from the groups)
     * @param sessionGroups a row per user or application name and state, in the connection's database: name, state,
     *        sessions, the oldest age in that state in seconds
     * @param transactions one row: the oldest transaction and the oldest idle in a transaction, in seconds, where the
     *        summary cannot say (MariaDB's innodb_trx, which needs a privilege the monitor may lack); empty when not needed
     */
    public record ServerViews(Optional<String> summary, String sessionGroups, Optional<String> transactions) {
    }

    /** The SQL of the server's session views. */
    public abstract ServerViews serverViews();

    /** The session states the server's view reports, each kept as a gauge. */
    public abstract List<String> sessionStates();

    /** Whether string literals take backslash escapes and {@code #} starts a comment (for masking SQL text). */
    public boolean backslashEscapes() {
        return false;
    }

    // ---- poolwatch's own tables -------------------------------------------------------------------------------------------

    /** The folder under {@code db/outbox/} with this engine's migrations. */
    public String migrations() {
        return kind().label();
    }

    /** Whether poolwatch's tables live in a schema of their own ({@code poolwatch.outbox}) rather than prefixed. */
    public boolean ownSchema() {
        return false;
    }

    /** What an INSERT ends with to do nothing when its key is there already; empty when the engine has no such clause. */
    public Optional<String> onDuplicateKeyIgnore(String keyColumn) {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return displayName();
    }
}
