package io.poolwatch.simulator;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.poolwatch.config.Durations;
import io.poolwatch.config.Limits;
import io.poolwatch.pool.FaultPhases.Fault;
import io.poolwatch.pool.WorkloadPool;

/**
 * Makes the problems poolwatch watches for happen on purpose, so its views and alerts can be seen working: a leaked
 * connection, slow statements, a saturated pool, an unbalanced ledger entry. Every fault is bounded in time and
 * count and ends by itself; none runs unless asked.
 */
public final class FaultInjector {

    private static final Logger LOG = Logger.getLogger(FaultInjector.class);
    /** Longest a fault may run. */
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);
    /** Most faults running at once. */
    public static final int MAX_RUNNING = 10;

    /** The kinds of fault. */
    public enum Kind {
        /** Hold one connection past the leak-detection interval, then return it. */
        LEAK,
        /** Run statements over the slow-query threshold for the duration. */
        SLOW,
        /** Hold every connection of the pool for the duration, so callers wait and time out. */
        SATURATE,
        /** Insert a ledger transaction whose entries do not balance (demo schema), and remove it when the fault ends. */
        INCONSISTENCY;

        static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(text)) {
                    return k;
                }
            }
            throw new IllegalArgumentException(
                    "fault '" + text + "' is unknown; accepted: leak, slow, saturate, inconsistency");
        }
    }

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Duration slowThreshold;

    public FaultInjector(Duration slowThreshold) {
        this.slowThreshold = slowThreshold;
    }

    /** How many faults are running now. */
    public int running() {
        return (int) faults.stream().filter(f -> f.state().equals("running")).count();
    }

    /**
     * Starts a fault on a pool. Throws {@link IllegalArgumentException} naming the field for a kind, duration or
     * engine it cannot run with.
     *
     * @param duration how long; empty for the kind's default (leak: two leak intervals and a second; inconsistency 2 min;
     *        others 30 s)
     */
    public synchronized Fault start(String kindText, WorkloadPool pool, Optional<Duration> duration) {
        Kind kind = Kind.parse(kindText);
        long running = running();
        if (running >= MAX_RUNNING) {
            throw new IllegalArgumentException("fault: " + running + " faults are running; accepted: at most " + MAX_RUNNING);
        }
        Duration length = duration.orElseGet(() -> switch (kind) {
            case LEAK -> defaultLeakLength(pool);
            case INCONSISTENCY -> Duration.ofMinutes(2);
            default -> Duration.ofSeconds(30);
        });
        if (length.isZero() || length.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("duration=" + Durations.format(length) + ": accepted: above 0s and at most "
                    + Durations.format(MAX_DURATION));
        }
        if (kind == Kind.SLOW && pool.settings().url().kind().dialect().sleep(Duration.ofSeconds(1)).isEmpty()) {
            throw new IllegalArgumentException("fault=slow: " + pool.settings().url().kind().dialect().displayName()
                    + " has no sleep function; accepted on PostgreSQL and MariaDB");
        }
        if (kind == Kind.LEAK && pool.settings().leakDetectionInterval().isZero()) {
            throw new IllegalArgumentException("fault=leak: leak detection is off for pool '" + pool.name()
                    + "'; set poolwatch.pools.\"" + pool.name() + "\".leak-detection-interval");
        }
        Instant now = Instant.now();
        Fault fault = new Fault(ids.incrementAndGet(), kind.name().toLowerCase(Locale.ROOT), pool.name(), now, now.plus(length),
                "running");
        faults.add(fault);
        // The list is shown and returned whole: the oldest ended faults go beyond Limits.FAULTS_KEPT (running ones are at most MAX_RUNNING).
        for (int over = faults.size() - Limits.FAULTS_KEPT; over > 0; over--) {
            faults.stream().filter(f -> !f.state().equals("running")).findFirst().ifPresent(faults::remove);
        }
        Thread t = new Thread(() -> run(fault, kind, pool, length),
                "fault-" + fault.kind() + "-" + pool.name() + "-" + fault.id());
        t.setDaemon(true);
        t.start();
        LOG.infof("fault %d started: %s on %s for %s", fault.id(), fault.kind(), pool.name(), Durations.format(length));
        return fault;
    }

    /** Long enough for Agroal's leak task (which runs once per interval) to report it: two intervals and a second. */
    private static Duration defaultLeakLength(WorkloadPool pool) {
        Duration length = pool.settings().leakDetectionInterval().multipliedBy(2).plusSeconds(1);
        return length.compareTo(MAX_DURATION) > 0 ? MAX_DURATION : length;
    }

    private void run(Fault fault, Kind kind, WorkloadPool pool, Duration length) {
        String state = "finished";
        try {
            switch (kind) {
                case LEAK -> hold(pool, 1, length);
                case SATURATE -> hold(pool, pool.maxSize(), length);
                case SLOW -> slow(pool, length);
                case INCONSISTENCY -> unbalancedEntry(pool, length);
            }
        } catch (SQLException | RuntimeException e) {
            state = "failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state = "interrupted";
        }
        String finalState = state;
        faults.replaceAll(
                f -> f.id() == fault.id() ? new Fault(f.id(), f.kind(), f.workload(), f.startedAt(), f.until(), finalState)
                        : f);
        LOG.infof("fault %d %s", fault.id(), state);
    }

    /** Holds {@code count} connections (as many as the pool gives) for {@code length}, then returns them. */
    private static void hold(WorkloadPool pool, int count, Duration length) throws InterruptedException {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                try {
                    held.add(pool.dataSource().getConnection());
                } catch (SQLException e) {
                    break;
                }
            }
            Thread.sleep(length.toMillis());
        } finally {
            for (Connection c : held) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // the pool may be closing
                }
            }
        }
    }

    private void slow(WorkloadPool pool, Duration length) throws SQLException {
        Duration sleep = Duration.ofMillis(Math.max(100, slowThreshold.toMillis() * 3 / 2));
        String sql = pool.settings().url().kind().dialect().sleep(sleep).orElseThrow();
        long deadline = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }
    }

    /**
     * Inserts a ledger transaction with a single debit of 13.37 on account 2 (so the ledger no longer balances and
     * the account's balance no longer matches its entries), keeps it for {@code length}, then removes it.
     */
    private static void unbalancedEntry(WorkloadPool pool, Duration length) throws SQLException, InterruptedException {
        String reference = "fault-unbalanced-" + System.nanoTime();
        try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("INSERT INTO ledger_transactions (reference) VALUES ('" + reference + "')");
            st.executeUpdate("INSERT INTO ledger_entries (transaction_id, account_id, direction, amount) "
                    + "SELECT id, 2, 'D', 13.37 FROM ledger_transactions WHERE reference = '" + reference + "'");
            c.commit();
            c.setAutoCommit(true);
        }
        try {
            Thread.sleep(length.toMillis());
        } finally {
            try (Connection c = pool.dataSource().getConnection(); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.executeUpdate("DELETE FROM ledger_entries WHERE transaction_id IN "
                        + "(SELECT id FROM ledger_transactions WHERE reference = '" + reference + "')");
                st.executeUpdate("DELETE FROM ledger_transactions WHERE reference = '" + reference + "'");
                c.commit();
                c.setAutoCommit(true);
            }
        }
    }

    /** Every fault started, newest first. */
    public List<Fault> faults() {
        List<Fault> list = new ArrayList<>(faults);
        Collections.reverse(list);
        return list;
    }
}
