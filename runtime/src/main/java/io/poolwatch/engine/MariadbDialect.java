package io.poolwatch.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** MariaDB (and MySQL), through MariaDB Connector/J. */
public final class MariadbDialect extends Dialect {

    static final MariadbDialect INSTANCE = new MariadbDialect();

    private MariadbDialect() {
    }

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.MARIADB;
    }

    @Override
    public String displayName() {
        return "MariaDB";
    }

    @Override
    public String driverDependency() {
        return "io.quarkus:quarkus-jdbc-mariadb (or io.quarkus:quarkus-jdbc-mysql)";
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
        return PostgresDialect.wholeNumber(driverValue).map(Duration::ofMillis);
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
    private static final DriverTls TLS = new DriverTls(List.of("sslMode", "serverSslCert", "useSsl", "useSSL"), "sslMode",
            "serverSslCert", TlsMode.DISABLE, "disable, trust, verify-ca, verify-full", MariadbDialect::tlsMode,
            MariadbDialect::sslMode, "useSsl", v -> Boolean.parseBoolean(v) ? TlsMode.REQUIRE : TlsMode.DISABLE, Map.of());

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

    @Override
    public List<String> sessionStates() {
        return List.of("query", "sleep");
    }

    @Override
    public boolean backslashEscapes() {
        return true;
    }
}
