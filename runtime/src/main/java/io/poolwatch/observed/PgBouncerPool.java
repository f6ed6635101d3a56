package io.poolwatch.observed;

/**
 * One of PgBouncer's pools (a database and user pair) from {@code SHOW POOLS}, with its database's figures from
 * {@code SHOW STATS}.
 *
 * @param database the database name as PgBouncer knows it
 * @param user the user
 * @param mode the pool mode (session, transaction, statement)
 * @param clientsActive {@code cl_active}: clients linked to a server connection, or idle with none needed
 * @param clientsWaiting {@code cl_waiting}: clients that sent a query and wait for a server connection
 * @param serversActive {@code sv_active}: server connections linked to a client
 * @param serversIdle {@code sv_idle}: server connections unused and ready
 * @param serversUsed {@code sv_used}: server connections idle for longer than server_check_delay, to be checked
 * @param maxWaitSeconds how long the oldest waiting client has waited ({@code maxwait} plus {@code maxwait_us})
 * @param averageWaitSeconds the database's average time clients waited for a server, over the last stats period
 *        ({@code SHOW STATS avg_wait_time})
 * @param transactionsPerSecond the database's transactions per second ({@code avg_xact_count})
 * @param queriesPerSecond the database's queries per second ({@code avg_query_count})
 */
public record PgBouncerPool(String database, String user, String mode, int clientsActive, int clientsWaiting, int serversActive,
        int serversIdle, int serversUsed, double maxWaitSeconds, double averageWaitSeconds, double transactionsPerSecond,
        double queriesPerSecond) {
}
