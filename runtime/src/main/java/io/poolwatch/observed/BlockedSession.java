package io.poolwatch.observed;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One session in a database's blocking tree: a root holds a lock others wait on; its {@code blocked} sessions wait on
 * it (and may block others in turn).
 *
 * @param pid the server's session id (PostgreSQL backend pid, MariaDB connection id)
 * @param application its application name (MariaDB: user@host), cut to a bounded length
 * @param user the database user
 * @param state its state (active, idle in transaction, ...)
 * @param waiting how long it has waited on a lock; empty for a session that does not wait (a root)
 * @param holding how long it has held what others wait on (its transaction's age); empty when it blocks nobody
 * @param query its current or last statement with every literal masked, cut to a bounded length
 * @param blocked the sessions waiting on this one
 * @param alsoBlockedBy the other sessions this one waits on, besides the one it is listed under (pid 0: a prepared
 *        transaction); empty for most. A session is listed once, under the first session the server names as blocking it.
 */
public record BlockedSession(long pid, String application, String user, String state, Optional<Duration> waiting,
        Optional<Duration> holding, String query, List<BlockedSession> blocked, List<Long> alsoBlockedBy) {

    public BlockedSession {
        blocked = List.copyOf(blocked);
        alsoBlockedBy = List.copyOf(alsoBlockedBy);
    }

    /** A session blocked by no one but the session it is listed under. */
    public BlockedSession(long pid, String application, String user, String state, Optional<Duration> waiting,
            Optional<Duration> holding, String query, List<BlockedSession> blocked) {
        this(pid, application, user, state, waiting, holding, query, blocked, List.of());
    }

    /** This session and every one below it. */
    public int size() {
        int n = 1;
        for (BlockedSession b : blocked) {
            n += b.size();
        }
        return n;
    }

    /** How many levels of sessions wait below this one: 0 when none does. */
    public int depth() {
        int d = 0;
        for (BlockedSession b : blocked) {
            d = Math.max(d, 1 + b.depth());
        }
        return d;
    }
}
