package io.poolwatch.pool;

import java.sql.Connection;

/**
 * The body of a transaction that returns nothing, for {@link Workloads#runInTransaction(String, TransactionCallback)}; the same
 * rules as {@link TransactionWork}: it may run more than once and must not commit, roll back or close the connection.
 */
@FunctionalInterface
public interface TransactionCallback {

    /** Runs the transaction's statements on {@code connection}; any exception rolls the transaction back. */
    void run(Connection connection) throws Exception;
}
