package io.poolwatch.examples.transfers.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.pool.TransactionException;
import io.poolwatch.pool.Workloads;

/**
 * Accounts and transfers, double-entry: every transfer writes a debit and a credit of the same amount, and each
 * account's balance is the sum of its credits minus its debits. Money moves on the {@code financial} workload, one
 * serializable transaction per transfer; balances and statements are read on {@code main}.
 */
@ApplicationScoped
public class Ledger {

    private final Workloads workloads;

    Ledger(Workloads workloads) {
        this.workloads = workloads;
    }

    /** Opens an account, funded with {@code openingCents} from the funding account. */
    public Account open(String owner, long openingCents) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("owner: required");
        }
        if (openingCents < 0) {
            throw new IllegalArgumentException("openingBalanceCents: " + openingCents + ", must be 0 or more");
        }
        return workloads.inTransaction("financial", c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO transfers_accounts (owner, balance_cents) VALUES (?, 0) RETURNING id")) {
                ps.setString(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            if (openingCents > 0) {
                long funding;
                try (PreparedStatement ps = c
                        .prepareStatement("SELECT id FROM transfers_accounts WHERE kind = 'funding' FOR UPDATE");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    funding = rs.getLong(1);
                }
                book(c, funding, id, openingCents);
            }
            return new Account(id, owner, openingCents);
        });
    }

    /**
     * Moves {@code amountCents} from one account to the other in one transaction. Both rows are locked in the order of
     * their ids, whichever way the money goes, so two opposite transfers cannot deadlock.
     *
     * @throws InsufficientFundsException when the account to debit holds less than the amount (nothing is written)
     * @throws AccountNotFoundException when either account does not exist
     * @throws TransactionException when the database failed, or conflicts outlasted the retries
     */
    public Transfer transfer(long from, long to, long amountCents) {
        if (amountCents <= 0) {
            throw new IllegalArgumentException("amountCents: " + amountCents + ", must be above 0");
        }
        if (from == to) {
            throw new IllegalArgumentException("toAccount: the same as fromAccount");
        }
        return workloads.inTransaction("financial", c -> {
            long fromBalance = -1;
            boolean toFound = false;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, balance_cents FROM transfers_accounts WHERE id IN (?, ?) AND kind = 'customer' ORDER BY id FOR UPDATE")) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getLong(1) == from) {
                            fromBalance = rs.getLong(2);
                        } else {
                            toFound = true;
                        }
                    }
                }
            }
            if (fromBalance < 0) {
                throw new AccountNotFoundException(from);
            }
            if (!toFound) {
                throw new AccountNotFoundException(to);
            }
            if (fromBalance < amountCents) {
                throw new InsufficientFundsException(from, fromBalance, amountCents);
            }
            return book(c, from, to, amountCents);
        });
    }

    private static Transfer book(Connection c, long from, long to, long amountCents) throws SQLException {
        long transferId;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO transfers_transfers (from_account, to_account, amount_cents) VALUES (?, ?, ?) RETURNING id")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            ps.setLong(3, amountCents);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                transferId = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO transfers_ledger (transfer_id, account_id, direction, amount_cents) VALUES (?, ?, 'debit', ?), (?, ?, 'credit', ?)")) {
            ps.setLong(1, transferId);
            ps.setLong(2, from);
            ps.setLong(3, amountCents);
            ps.setLong(4, transferId);
            ps.setLong(5, to);
            ps.setLong(6, amountCents);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE transfers_accounts SET balance_cents = balance_cents + CASE WHEN id = ? THEN ? ELSE ? END WHERE id IN (?, ?)")) {
            ps.setLong(1, from);
            ps.setLong(2, -amountCents);
            ps.setLong(3, amountCents);
            ps.setLong(4, from);
            ps.setLong(5, to);
            ps.executeUpdate();
        }
        return new Transfer(transferId, from, to, amountCents);
    }

    /** An account and its balance, read on {@code main} (a replica when main has some). */
    public Account account(long id) {
        try (Connection c = workloads.reads("main").getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, owner, balance_cents FROM transfers_accounts WHERE id = ? AND kind = 'customer'")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AccountNotFoundException(id);
                }
                return new Account(rs.getLong(1), rs.getString(2), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading account " + id + ": " + e.getMessage(), e);
        }
    }

    /** An account's entries, oldest first, read on {@code main}. */
    public List<Entry> statement(long id) {
        account(id);
        try (Connection c = workloads.reads("main").getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT l.transfer_id, l.direction, l.amount_cents, t.booked_at
                FROM transfers_ledger l JOIN transfers_transfers t ON t.id = l.transfer_id
                WHERE l.account_id = ? ORDER BY l.id""")) {
            ps.setLong(1, id);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getString(2), rs.getLong(3),
                            rs.getObject(4, OffsetDateTime.class)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the statement of account " + id + ": " + e.getMessage(), e);
        }
    }
}
