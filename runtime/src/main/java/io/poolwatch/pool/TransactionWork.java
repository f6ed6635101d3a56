package io.poolwatch.pool;

import java.sql.Connection;

/**
 * The body of a transaction that returns a value, for {@link Workloads#inTransaction(String, TransactionWork)}. It may run
 * more than once (after a serialization failure or a deadlock), each time on a fresh connection in a fresh transaction,
 * so it must not have effects outside the database it cannot repeat. It must not commit, roll back or close the connection.
 *
 * @param <T> what the transaction returns
 */
@FunctionalInterface
public interface TransactionWork<T> {

    /** Runs the transaction's statements on {@code connection}; any exception rolls the transaction back. */
    T run(Connection connection) throws Exception;
}
