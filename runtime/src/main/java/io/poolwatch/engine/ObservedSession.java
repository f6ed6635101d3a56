package io.poolwatch.engine;

import java.time.Duration;
import java.util.Optional;

/**
 * One session of an application poolwatch does not own, as the server's views report it; ages are computed by the server.
 *
 * @param applicationName the application name it reports ({@code application_name}, MariaDB's {@code program_name}); empty
 *        where the server does not say (MariaDB without performance_schema)
 * @param user the database user
 * @param clientAddress the client's address without port; {@code local} for a socket connection
 * @param state PostgreSQL: active, idle, idle in transaction, idle in transaction (aborted) ...; MariaDB: the command,
 *        lower-case
 * @param idleInTransaction whether it is idle inside an open transaction
 * @param stateAge how long it has been in that state, if known
 * @param transactionAge how old its open transaction is, if it has one and the server says
 * @param statementAge how long its running statement has run, if it is running one
 * @param waitingOnLock whether it waits on a lock
 */
public record ObservedSession(String applicationName, String user, String clientAddress, String state,
        boolean idleInTransaction,
        Optional<Duration> stateAge, Optional<Duration> transactionAge, Optional<Duration> statementAge,
        boolean waitingOnLock) {

    /** What a socket connection's client address is shown as. */
    public static final String LOCAL = "local";
}
