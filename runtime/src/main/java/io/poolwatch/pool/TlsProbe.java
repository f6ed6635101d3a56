package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

import io.agroal.api.AgroalDataSourceListener;
import io.poolwatch.engine.DatabaseKind;

/**
 * Asks the server whether each connection the pool opens is encrypted, on the pool's own housekeeping thread right after
 * the connection is made: measured on the pool's real connections, without leasing one and without a request waiting.
 */
final class TlsProbe implements AgroalDataSourceListener {

    private final DatabaseKind kind;
    private final Clock clock;
    private volatile TlsStatus latest;

    TlsProbe(DatabaseKind kind, Clock clock) {
        this.kind = kind;
        this.clock = clock;
        this.latest = kind.dialect().tls().isEmpty() ? TlsStatus.NOT_APPLICABLE : TlsStatus.NOT_MEASURED;
    }

    @Override
    public void onConnectionCreation(Connection connection) {
        if (kind.dialect().tls().isEmpty()) {
            return;
        }
        Connection driver = connection;
        try {
            // The driver's own connection: the probe is not one of the pool's statements.
            driver = connection.unwrap(Connection.class);
        } catch (SQLException | RuntimeException e) {
            // Asked through the wrapper instead.
        }
        latest = TlsReader.read(driver, kind, clock.instant());
    }

    /** The status of the most recently opened connection. */
    TlsStatus latest() {
        return latest;
    }
}
