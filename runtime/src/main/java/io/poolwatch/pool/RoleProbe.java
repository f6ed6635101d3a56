package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSourceListener;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.Dialect;
import io.poolwatch.engine.ServerRole;

/**
 * Asks the server of every connection the pool opens, and of every connection it validates, whether it takes writes
 * ({@link Dialect#serverRole}): the validation is that question, one round trip as {@code isValid} is. A pool that may
 * write and whose server turns read-only (a demoted primary, or a DNS name that now points at a standby) is "primary is
 * read-only": its connections are flushed once, on the change, so that a multi-host URL or the changed name can land the
 * new ones on the new primary. Every change of role is counted and logged.
 */
public final class RoleProbe implements AgroalDataSourceListener {

    private static final Logger LOG = Logger.getLogger(RoleProbe.class);

    /**
     * What the pool's server said last.
     *
     * @param role read-only or primary
     * @param since when it first said so
     * @param changes how many times the role changed since the pool opened
     */
    public record Reading(ServerRole role, Instant since, long changes) {
    }

    /**
     * A change of what the pool's server says, or a pool that writes finding at its first connection that its server
     * refuses writes: fired as a CDI event, which the audit log records.
     *
     * @param before what it said before; empty for a first answer
     * @param primaryReadOnly whether the pool writes and its server refuses writes now
     */
    public record Change(String pool, Optional<ServerRole> before, ServerRole now, Instant at, boolean primaryReadOnly) {
    }

    /**
     * The server behind a pool that writes changed between two of its new connections: a failover to another server (a
     * multi-host URL, a DNS name or a virtual address that moved), or on PostgreSQL a restart. Fired as a CDI event,
     * which the audit log records.
     *
     * @param before the server its connections reached until now ({@link Dialect#serverIdentityQuery()})
     * @param now the server its newest connection reached
     */
    public record Moved(String pool, String before, String now, Instant at) {
    }

    /** Who is told of a pool's changes: of its server's role, and of the server itself. */
    public record Listeners(Consumer<Change> roles, Consumer<Moved> moves) {

        /** Nobody. */
        public static final Listeners NONE = new Listeners(c -> {
        }, m -> {
        });
    }

    private final String pool;
    private final DatabaseKind kind;
    private final boolean writes;
    private final Duration timeout;
    private final Clock clock;
    private final AtomicLong changeCount = new AtomicLong();
    private volatile Reading latest;
    private volatile Runnable onReadOnly = () -> {
    };
    private final Consumer<Change> changes;
    private final Consumer<Moved> moves;
    private final Supplier<Optional<Reading>> monitor;
    private final AtomicLong serverChanges = new AtomicLong();
    private volatile String server;

    /**
     * @param pool the pool's name, for the log
     * @param writes whether the pool's sessions may write: a primary pool not set read-only, for which a read-only server
     *        is a fault (a replica's pool, or an analytics pool with read-only sessions, reads from a standby as well)
     * @param timeout how long the question may take (the network timeout it is asked under)
     * @param listeners told of every {@link Change} and, for a pool that writes, every {@link Moved}, on the thread that
     *        found it
     * @param monitor what the database said to poolwatch's monitoring connection, for a pool whose own connections have
     *        not answered
     */
    RoleProbe(String pool, DatabaseKind kind, boolean writes, Duration timeout, Clock clock, Listeners listeners,
            Supplier<Optional<Reading>> monitor) {
        this.pool = pool;
        this.changes = listeners.roles();
        this.moves = listeners.moves();
        this.monitor = monitor;
        this.kind = kind;
        this.writes = writes;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** What runs when a pool that may write finds its server turned read-only: the pool's flush. */
    void onReadOnly(Runnable action) {
        this.onReadOnly = action;
    }

    @Override
    public void onConnectionCreation(Connection connection) {
        try {
            Connection c = driverConnection(connection);
            kind.dialect().serverRole(c, timeout).ifPresent(this::observe);
            if (writes) {
                kind.dialect().serverIdentity(c, timeout).ifPresent(this::reached);
            }
        } catch (SQLException | RuntimeException e) {
            // A connection that cannot answer is found out by its validation and by the pool's use of it.
            LOG.debugf("pool %s: could not ask a new connection's server whether it takes writes: %s", pool, e.getMessage());
        }
    }

    /** A new connection reached this server: a change from the one before is a failover (or a restart). */
    void reached(String identity) {
        String before;
        synchronized (this) {
            before = server;
            server = identity;
            if (before == null || before.equals(identity)) {
                return;
            }
            serverChanges.incrementAndGet();
        }
        LOG.warnf("pool %s: its server changed: was %s, now %s (a failover or a restart)", pool, before, identity);
        try {
            moves.accept(new Moved(pool, before, identity, clock.instant()));
        } catch (RuntimeException e) {
            LOG.warnf("pool %s: the change of its server was not recorded: %s", pool, e.getMessage());
        }
    }

    /** The server the pool's newest connection reached, for a pool that writes; empty before, and where not known. */
    public Optional<String> server() {
        return Optional.ofNullable(server);
    }

    /** How many times the server behind the pool changed (failovers, restarts) since it opened. */
    public long serverChanges() {
        return serverChanges.get();
    }

    /**
     * The pool's validation of {@code connection}: whether its server answers the role question within the timeout
     * ({@code isValid} where the engine has no role), noting the answer.
     */
    boolean validate(Connection connection) {
        try {
            Connection c = driverConnection(connection);
            Optional<ServerRole> role = kind.dialect().serverRole(c, timeout);
            if (role.isEmpty()) {
                return c.isValid((int) Math.min(Integer.MAX_VALUE, Dialect.ceilSeconds(timeout)));
            }
            observe(role.get());
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** What the server said last; empty before it was asked, and where the engine has no role. */
    public Optional<Reading> latest() {
        return Optional.ofNullable(latest);
    }

    /**
     * What the pool's server said last: to the pool's own connections, or, before any of them answered, to poolwatch's
     * monitoring connection on the same database. Empty before either, and where the engine has no role.
     */
    public Optional<Reading> reading() {
        return latest().or(monitor);
    }

    /**
     * Whether the pool may write and its server refuses writes now: as its own connections found, or, before any of
     * them answered, as the database said to poolwatch's monitoring connection. A pool that cannot open a connection
     * on the server at all (serializable sessions on a PostgreSQL standby are refused) is known so through the latter.
     * Health, the alert, the API and the gauge all read this one answer.
     */
    public boolean primaryReadOnly() {
        return writes && reading().map(r -> r.role() == ServerRole.READ_ONLY).orElse(false);
    }

    void observe(ServerRole role) {
        Reading before;
        Reading now;
        synchronized (this) {
            before = latest;
            if (before != null && before.role() == role) {
                return;
            }
            long n = before == null ? 0 : changeCount.incrementAndGet();
            now = new Reading(role, clock.instant(), n);
            latest = now;
        }
        if (before != null || writes && role == ServerRole.READ_ONLY) {
            try {
                changes.accept(new Change(pool, Optional.ofNullable(before).map(Reading::role), role, now.since(),
                        writes && role == ServerRole.READ_ONLY));
            } catch (RuntimeException e) {
                LOG.warnf("pool %s: the change of its server's role was not recorded: %s", pool, e.getMessage());
            }
        }
        if (!writes) {
            if (before != null) {
                LOG.infof("pool %s: its server is %s now (was %s)", pool, role.label(), before.role().label());
            }
            return;
        }
        if (role == ServerRole.READ_ONLY && before == null) {
            LOG.warnf("pool %s: primary is read-only: its server refuses writes (%s), so every write on it will fail",
                    pool, kind.dialect().readOnlyQuery().orElse(""));
        } else if (role == ServerRole.READ_ONLY) {
            LOG.warnf("pool %s: primary is read-only: its server stopped taking writes (%s); flushing its connections so "
                    + "that new ones can reach the new primary", pool, kind.dialect().readOnlyQuery().orElse(""));
            onReadOnly.run();
        } else if (before != null) {
            LOG.infof("pool %s: its server takes writes again", pool);
        }
    }

    /** The driver's own connection: the question is not one of the pool's statements. */
    private static Connection driverConnection(Connection connection) {
        try {
            return connection.unwrap(Connection.class);
        } catch (SQLException | RuntimeException e) {
            return connection;
        }
    }
}
