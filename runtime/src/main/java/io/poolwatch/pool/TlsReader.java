package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.Dialect;

/** Asks the server whether the session of a connection is encrypted. Never throws: a failure is a status with the reason. */
public final class TlsReader {

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
                Dialect.SessionTls tls = kind.dialect().sessionTls(st);
                return TlsStatus.measured(tls.encrypted(), tls.version(), tls.cipher(), now);
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

}
