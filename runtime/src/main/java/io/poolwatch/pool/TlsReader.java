package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

import io.poolwatch.engine.DatabaseKind;

/** Asks the server whether the session of a connection is encrypted. Never throws: a failure is a status with the reason. */
public final class TlsReader {

    private static final String PG = "SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
    private static final String MARIADB = "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')";

    private TlsReader() {
    }

    /** Reads the status of {@code connection}'s own session. Leaves no transaction open. */
    public static TlsStatus read(Connection connection, DatabaseKind kind, Instant now) {
        if (kind.dialect().tls().isEmpty()) {
            return TlsStatus.NOT_APPLICABLE;
        }
        try {
            boolean autoCommit = connection.getAutoCommit();
            try (Statement st = connection.createStatement()) {
                return kind == DatabaseKind.POSTGRESQL ? postgres(st, now) : mariadb(st, now);
            } finally {
                if (!autoCommit) {
                    connection.rollback();
                }
            }
        } catch (SQLException | RuntimeException e) {
            return TlsStatus
                    .failed((e instanceof SQLException s && s.getSQLState() != null ? "SQLState " + s.getSQLState() + ": " : "")
                            + e.getMessage(), now);
        }
    }

    private static TlsStatus postgres(Statement st, Instant now) throws SQLException {
        try (ResultSet rs = st.executeQuery(PG)) {
            if (!rs.next()) {
                return TlsStatus.failed("pg_stat_ssl has no row for this session", now);
            }
            return TlsStatus.measured(rs.getBoolean(1), Optional.ofNullable(rs.getString(2)),
                    Optional.ofNullable(rs.getString(3)), now);
        }
    }

    private static TlsStatus mariadb(Statement st, Instant now) throws SQLException {
        Optional<String> version = Optional.empty();
        Optional<String> cipher = Optional.empty();
        try (ResultSet rs = st.executeQuery(MARIADB)) {
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
        return TlsStatus.measured(cipher.isPresent(), version, cipher, now);
    }
}
