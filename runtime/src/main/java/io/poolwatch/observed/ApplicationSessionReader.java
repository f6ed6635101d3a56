package io.poolwatch.observed;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.poolwatch.engine.ClientSessions;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.Dialect;
import io.poolwatch.pool.PoolRegistry;

/**
 * Reads every client session of one database from the server's own views, in one query, for matching to applications:
 * PostgreSQL's {@code pg_stat_activity}; MariaDB's {@code information_schema.processlist} with {@code innodb_trx} (where
 * the PROCESS privilege lets it) and, where performance_schema is on, the {@code program_name} connection attribute.
 * Ages are computed by the server. At most {@code limit} sessions are read; the rest are counted. poolwatch's own
 * session and the sessions of its own pools (by application name) are left out. A view that cannot be read gives an
 * unavailable read with the reason, never an exception.
 */
public final class ApplicationSessionReader {

    /** The most sessions read per database and sample; the rest are counted as omitted. */
    public static final int DEFAULT_LIMIT = 5_000;
    /** The monitoring connection's own application name: another replica of poolwatch watching the same database. */
    static final String MONITOR_APPLICATION_NAME = PoolRegistry.MONITOR_APPLICATION_NAME;

    private ApplicationSessionReader() {
    }

    /**
     * Reads the sessions of the database {@code connection} is on.
     *
     * @param ownApplicationNames the application names of poolwatch's own pools on it, left out
     */
    public static SessionRead read(Connection connection, DatabaseKind kind, String database, Instant now,
            Collection<String> ownApplicationNames, int limit) {
        try {
            Dialect dialect = kind.dialect();
            if (!dialect.showsApplications()) {
                return SessionRead.unavailable(database, now, dialect.displayName()
                        + " reports no application names, users' addresses or transaction ages "
                        + "of its sessions; applications are watched on PostgreSQL and MariaDB");
            }
            List<String> excluded = new ArrayList<>(ownApplicationNames);
            excluded.add(MONITOR_APPLICATION_NAME);
            ClientSessions read = dialect.clientSessions(connection, excluded, limit);
            return new SessionRead(database, now, true, Optional.empty(), read.sessions(),
                    Math.max(0, read.total() - read.sessions().size()), read.applicationNames());
        } catch (SQLException e) {
            return SessionRead.unavailable(database, now,
                    (e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ") + e.getMessage());
        }
    }

}
