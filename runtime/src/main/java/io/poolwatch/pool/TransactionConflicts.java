package io.poolwatch.pool;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises the failures a database raises when it aborts a transaction only because another one conflicted with it,
 * so that running it again can succeed: serialization failures and deadlock victims.
 */
final class TransactionConflicts {

    /** The {@code reason} tag of a retry after a serialization failure. */
    static final String SERIALIZATION_FAILURE = "serialization_failure";
    /** The {@code reason} tag of a retry after a deadlock. */
    static final String DEADLOCK = "deadlock";

    /** MariaDB/MySQL ER_LOCK_DEADLOCK. */
    static final int MYSQL_DEADLOCK = 1213;

    private TransactionConflicts() {
    }

    /**
     * Why {@code failure} is worth a retry, or empty when it is not: walks the cause chain and every SQLException's
     * next-exception chain, since drivers and applications wrap (pgjdbc's batch errors, an application's own exception).
     */
    static Optional<String> reason(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return reason(failure, seen);
    }

    private static Optional<String> reason(Throwable t, Set<Throwable> seen) {
        while (t != null && seen.size() < 64 && seen.add(t)) {
            if (t instanceof SQLException sql) {
                Optional<String> own = classify(sql);
                if (own.isPresent()) {
                    return own;
                }
                SQLException next = sql.getNextException();
                if (next != null && next != t.getCause()) {
                    Optional<String> nested = reason(next, seen);
                    if (nested.isPresent()) {
                        return nested;
                    }
                }
            }
            t = t.getCause();
        }
        return Optional.empty();
    }

    private static Optional<String> classify(SQLException e) {
        String state = e.getSQLState();
        // MariaDB reports a deadlock as error 1213 with SQLSTATE 40001: the error code decides.
        if (e.getErrorCode() == MYSQL_DEADLOCK || "40P01".equals(state)) {
            return Optional.of(DEADLOCK);
        }
        if ("40001".equals(state)) {
            return Optional.of(SERIALIZATION_FAILURE);
        }
        return Optional.empty();
    }
}
