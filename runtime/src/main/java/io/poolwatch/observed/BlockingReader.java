package io.poolwatch.observed;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.Dialect;
import io.poolwatch.engine.LockWaits;
import io.poolwatch.pool.MaskedSql;

/**
 * Reads who blocks whom on one database over one connection (poolwatch's monitoring connection), with a bounded
 * number of rows, and builds the tree ({@link BlockingTree}). A view that cannot be read gives an unavailable snapshot
 * with the reason, never an exception. Ages are computed by the server, so clock skew does not matter.
 * <p>
 * <b>PostgreSQL</b>: one statement. The sessions of the current database that wait on a lock
 * ({@code wait_event_type = 'Lock'}; {@code pg_blocking_pids} is called for those only, as it takes the lock manager's
 * locks) with the sessions blocking them, wherever those are. A blocked session's wait is {@code now() - query_start}: the
 * statement that waits began then, and {@code pg_stat_activity} has no time the wait itself began ({@code pg_locks.waitstart},
 * PostgreSQL 14+, would need a second look at the lock table per sample); it is at most a little longer than the wait. A
 * blocker holds for {@code now() - xact_start}: a lock is held until its transaction ends. Deadlocks are
 * {@code pg_stat_database.deadlocks} of the current database.
 * <p>
 * <b>MariaDB</b>: the lock waits of {@code information_schema.innodb_lock_waits} whose waiting session's current
 * database is the watched one, joined to {@code innodb_trx} and {@code processlist}; the wait starts at
 * {@code trx_wait_started} (whole seconds), the hold at {@code trx_started}. Without the {@code PROCESS} privilege those
 * views cannot be read: the snapshot is then unavailable with the server's reason, because an empty tree would claim that
 * no one waits. Deadlocks are the server-wide {@code Innodb_deadlocks} status counter, the same for every database of the
 * server. InnoDB serves those views from a cache it refreshes only when nobody has read it for 0.1 s: on a sampling
 * interval of seconds the rows are at most that old, but a client polling them faster (anyone's) keeps them stale.
 * <b>H2</b> has no view of lock waits: unavailable.
 */
public final class BlockingReader {

    /** Characters of an application name kept. */
    public static final int MAX_APPLICATION = 128;
    /** Rows read per sample, as a multiple of the sessions listed: the rest are counted by the server, not read. */
    static final int ROWS_PER_LISTED = 4;

    private BlockingReader() {
    }

    /** Reads who blocks whom; an unreadable view gives an unavailable snapshot with the reason. */
    public static BlockingSnapshot read(Connection connection, DatabaseKind kind, String database, Instant now,
            int maxSessions) {
        try {
            Dialect dialect = kind.dialect();
            if (!dialect.showsLockWaits()) {
                return unavailable(database, now, dialect.displayName() + " has no view of which session waits on which");
            }
            LockWaits waits = dialect.lockWaits(connection, rowLimit(maxSessions), MAX_APPLICATION, MaskedSql.MAX_INPUT);
            List<BlockingTree.Row> rows = new ArrayList<>();
            for (LockWaits.Session s : waits.sessions()) {
                rows.add(new BlockingTree.Row(s.id(), s.application(), s.user(), s.state(), s.waited(), s.held(),
                        MaskedSql.mask(s.query(), kind), s.blockers()));
            }
            BlockingTree.Forest forest = BlockingTree.build(rows, maxSessions);
            return new BlockingSnapshot(database, now, true, Optional.empty(), forest.roots(), waits.blocked(),
                    waits.blocked() == 0 ? Optional.empty() : waits.longest(), waits.deadlocks(),
                    forest.truncated() || waits.cut());
        } catch (SQLException e) {
            return unavailable(database, now,
                    (e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ") + e.getMessage());
        }
    }

    /** A snapshot saying the views could not be read, and why. */
    public static BlockingSnapshot unavailable(String database, Instant now, String reason) {
        return new BlockingSnapshot(database, now, false, Optional.of(reason), List.of(), 0, Optional.empty(),
                OptionalLong.empty(), false);
    }

    private static int rowLimit(int maxSessions) {
        return Math.max(1, maxSessions) * ROWS_PER_LISTED;
    }

}
