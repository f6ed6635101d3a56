package io.poolwatch.store;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** One transaction on a connection of poolwatch's own store (outbox, audit, alert state). */
public final class Transactions {

    private Transactions() {
    }

    /** Work done on the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on a connection of {@code dataSource}: committed when it returns, rolled back
     * when it throws. A connection that came in auto-commit mode goes back to its pool in it.
     */
    public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            if (autoCommit) {
                c.setAutoCommit(false);
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                if (autoCommit) {
                    c.setAutoCommit(true);
                }
            }
        }
    }
}
