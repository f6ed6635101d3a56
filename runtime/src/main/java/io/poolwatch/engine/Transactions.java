package io.poolwatch.engine;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/** One JDBC transaction, the same on every engine: for the workloads' transactions and for poolwatch's own tables. */
public final class Transactions {

    private static final Logger LOG = Logger.getLogger(Transactions.class);

    private Transactions() {
    }

    /** Work done on the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} in one transaction on a connection of {@code dataSource}: committed when it returns, rolled back
     * when it throws (a rollback that fails too is added to what it threw, as suppressed). A connection that came in
     * auto-commit mode goes back to its pool in it.
     */
    public static <T> T once(DataSource dataSource, Work<T> work) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            if (autoCommit) {
                c.setAutoCommit(false);
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Throwable t) {
                try {
                    c.rollback();
                } catch (SQLException | RuntimeException r) {
                    t.addSuppressed(r);
                }
                throw t;
            } finally {
                if (autoCommit) {
                    restoreAutoCommit(c);
                }
            }
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException | RuntimeException e) {
            // The transaction's outcome is settled; a broken connection is the pool's to discard, not the caller's error.
            LOG.debugf("restoring auto-commit failed: %s", e.getMessage());
        }
    }
}
