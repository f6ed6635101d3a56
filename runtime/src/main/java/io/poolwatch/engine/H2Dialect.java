package io.poolwatch.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** H2, in this process: the embedded fallback and the local outbox file. No network, no TLS, no replication. */
public final class H2Dialect extends Dialect {

    static final H2Dialect INSTANCE = new H2Dialect();

    private H2Dialect() {
        super(DatabaseKind.H2, "H2", "io.quarkus:quarkus-jdbc-h2");
    }

    @Override
    public boolean networked() {
        return false;
    }

    @Override
    public Map<String, String> jdbcPrefixes() {
        return Map.of("jdbc:h2:", "jdbc:h2:");
    }

    /** H2 takes its settings through the URL and initial SQL. */
    @Override
    public Map<String, String> sessionProperties(String applicationName, Duration connectTimeout,
            Optional<Duration> socketTimeout, Optional<Duration> statementTimeout, boolean readOnly,
            Map<String, String> given) {
        return Map.of();
    }

    @Override
    public Optional<String> initialSql(Optional<Duration> statementTimeout) {
        return statementTimeout.map(t -> "SET QUERY_TIMEOUT " + t.toMillis());
    }

    @Override
    public String truncate(String column, String period) {
        return "DATE_TRUNC('" + period.toUpperCase(Locale.ROOT) + "', " + column + ")";
    }

    @Override
    public void beginReadOnlySnapshot(Connection connection, Duration timeout) throws SQLException {
        // H2 reads a snapshot only from repeatable read up; it has no read-only transaction (rollback still undoes any write).
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
    }

    @Override
    public boolean replicates() {
        return false;
    }

    @Override
    public boolean showsLockWaits() {
        return false;
    }

    @Override
    public boolean showsApplications() {
        return false;
    }

    /**
     * Each session's state and statement age worked out first, then grouped by name: H2 refuses to group by the
     * ordinal of a CASE over EXECUTING_STATEMENT ("must be in the GROUP BY list") once one user's sessions are both
     * idle and running a statement, which the demo's are on nearly every sample.
     */
    private static final String SESSION_GROUPS = """
            SELECT USER_NAME, STATE, COUNT(*), MAX(AGE_MS) / 1000.0
              FROM (SELECT USER_NAME,
                           CASE WHEN EXECUTING_STATEMENT IS NULL THEN 'idle' ELSE 'active' END AS STATE,
                           CASE WHEN EXECUTING_STATEMENT IS NULL THEN NULL
                                ELSE DATEDIFF(MILLISECOND, EXECUTING_STATEMENT_START, CURRENT_TIMESTAMP) END AS AGE_MS
                      FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()) S
             GROUP BY USER_NAME, STATE ORDER BY USER_NAME, STATE""";
    private static final ServerViews SERVER_VIEWS = new ServerViews(Optional.empty(), SESSION_GROUPS, Optional.empty());

    @Override
    public ServerViews serverViews() {
        return SERVER_VIEWS;
    }

    @Override
    public List<String> sessionStates() {
        return List.of("active", "idle");
    }
}
