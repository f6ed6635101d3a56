package io.poolwatch.pool;

import java.sql.SQLException;
import java.util.Optional;

/**
 * A transaction of {@link Workloads#inTransaction} was rolled back because of a checked exception: an
 * {@link SQLException} (of the work, of the commit or of borrowing the connection), or another checked exception
 * thrown by the work. It is the cause, as thrown. Unchecked exceptions of the work are rethrown as they are, not
 * wrapped, so an application's own exceptions reach its exception mappers unchanged.
 */
public class TransactionException extends RuntimeException {

    private final String workload;
    private final int attempts;
    private final boolean retriesExhausted;

    TransactionException(String workload, int attempts, boolean retriesExhausted, Exception cause) {
        super(message(workload, attempts, retriesExhausted, cause), cause);
        this.workload = workload;
        this.attempts = attempts;
        this.retriesExhausted = retriesExhausted;
    }

    private static String message(String workload, int attempts, boolean exhausted, Exception cause) {
        String what = exhausted
                ? "gave up after " + attempts + " runs, each aborted as a serialization failure or deadlock"
                : "rolled back" + (attempts > 1 ? " on run " + attempts : "");
        SQLException sql = cause instanceof SQLException s ? s : null;
        return "transaction on workload " + workload + " " + what + ": "
                + (sql != null && sql.getSQLState() != null ? "SQLSTATE " + sql.getSQLState() + ": " : "") + cause.getMessage();
    }

    /** The workload whose pool ran the transaction. */
    public String workload() {
        return workload;
    }

    /** How many times the work ran (1 when it was not retried). */
    public int attempts() {
        return attempts;
    }

    /** True when every run was aborted as a serialization failure or deadlock and the retries ran out. */
    public boolean retriesExhausted() {
        return retriesExhausted;
    }

    /** The SQLSTATE of the cause when it is an {@link SQLException}. */
    public Optional<String> sqlState() {
        return getCause() instanceof SQLException s ? Optional.ofNullable(s.getSQLState()) : Optional.empty();
    }
}
