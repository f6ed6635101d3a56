package io.poolwatch.simulator;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One transaction of each demo workload, on the demo schema: the seed guides' financial transfers, background
 * tasks, analytics scans and short reads.
 */
final class DemoTransactions {

    /** Customer accounts are 2..1001 in the demo schema; 1 is the bank's equity account. */
    static final int FIRST_CUSTOMER = 2;
    static final int LAST_CUSTOMER = 1001;

    private DemoTransactions() {
    }

    /** What a transaction ended as. */
    enum Outcome {
        COMMITTED,
        ROLLED_BACK
    }

    private static int customer() {
        return ThreadLocalRandom.current().nextInt(FIRST_CUSTOMER, LAST_CUSTOMER + 1);
    }

    /**
     * Moves money between two customers in one transaction: debit, credit and the two ledger entries, or nothing
     * (insufficient funds, or a serialization failure under the financial workload's isolation).
     */
    static Outcome transfer(Connection c) throws SQLException {
        int from = customer();
        int to = customer();
        while (to == from) {
            to = customer();
        }
        BigDecimal amount = BigDecimal.valueOf(ThreadLocalRandom.current().nextInt(1, 5000), 2);
        c.setAutoCommit(false);
        try {
            // Lock both rows in id order so two opposite transfers cannot deadlock.
            int low = Math.min(from, to);
            int high = Math.max(from, to);
            try (PreparedStatement lock = c
                    .prepareStatement("SELECT id FROM accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE")) {
                lock.setInt(1, low);
                lock.setInt(2, high);
                lock.executeQuery().close();
            }
            try (PreparedStatement debit = c.prepareStatement(
                    "UPDATE accounts SET balance = balance - ?, updated_at = CURRENT_TIMESTAMP WHERE id = ? AND balance >= ?")) {
                debit.setBigDecimal(1, amount);
                debit.setInt(2, from);
                debit.setBigDecimal(3, amount);
                if (debit.executeUpdate() != 1) {
                    c.rollback();
                    return Outcome.ROLLED_BACK;
                }
            }
            try (PreparedStatement credit = c.prepareStatement(
                    "UPDATE accounts SET balance = balance + ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?")) {
                credit.setBigDecimal(1, amount);
                credit.setInt(2, to);
                credit.executeUpdate();
            }
            long transaction;
            try (PreparedStatement tx = c.prepareStatement("INSERT INTO ledger_transactions (reference) VALUES (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                tx.setString(1, "transfer-" + UUID.randomUUID());
                tx.executeUpdate();
                try (ResultSet keys = tx.getGeneratedKeys()) {
                    keys.next();
                    transaction = keys.getLong(1);
                }
            }
            try (PreparedStatement entry = c.prepareStatement(
                    "INSERT INTO ledger_entries (transaction_id, account_id, direction, amount) VALUES (?, ?, ?, ?)")) {
                entry.setLong(1, transaction);
                entry.setInt(2, from);
                entry.setString(3, "D");
                entry.setBigDecimal(4, amount);
                entry.addBatch();
                entry.setLong(1, transaction);
                entry.setInt(2, to);
                entry.setString(3, "C");
                entry.setBigDecimal(4, amount);
                entry.addBatch();
                entry.executeBatch();
            }
            c.commit();
            return Outcome.COMMITTED;
        } catch (SQLException e) {
            c.rollback();
            // 40001 serialization failure, 40P01 deadlock: expected under serializable isolation; the client retries.
            if ("40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState())) {
                return Outcome.ROLLED_BACK;
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** A background worker queues a task and completes the oldest queued one. */
    static Outcome backgroundTask(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO background_tasks (kind, status) VALUES ('statement', 'queued')");
            st.executeUpdate(
                    "UPDATE background_tasks SET status = 'done', attempts = attempts + 1, updated_at = CURRENT_TIMESTAMP "
                            + "WHERE id = (SELECT MIN(id) FROM background_tasks WHERE status = 'queued')");
        }
        return Outcome.COMMITTED;
    }

    /** A report over the analytics events: a scan that takes a moment. */
    static Outcome analyticsScan(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT event_type, COUNT(*), SUM(amount) FROM analytics_events WHERE account_id % 7 = ? GROUP BY event_type")) {
            ps.setInt(1, ThreadLocalRandom.current().nextInt(7));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(2);
                }
            }
        }
        return Outcome.COMMITTED;
    }

    /** A short read of one account. */
    static Outcome balanceRead(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
            ps.setInt(1, customer());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
        return Outcome.COMMITTED;
    }
}
