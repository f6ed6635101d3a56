package io.poolwatch.simulator;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * A run of virtual users against the workload pools, each user looping over its workload's demo transaction with a
 * think time between transactions, until stopped or its duration passes.
 * <p>
 * Users are platform threads in one fixed-size pool: this JDK (17) has no virtual threads, and a fixed pool bounds
 * what a run can take from the machine. A user mostly waits (think time, database), so a few thousand threads are
 * affordable; their count is the sum of the configured users, capped at {@link #MAX_USERS}.
 */
public final class Simulation implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Simulation.class);
    /** The most users one run starts. */
    public static final int MAX_USERS = 5000;

    /** What one workload's users do, and on which pool. */
    public record Workload(String name, DataSource dataSource, int users, Transaction transaction) {
    }

    /** One demo transaction. */
    @FunctionalInterface
    public interface Transaction {
        DemoTransactions.Outcome run(Connection connection) throws SQLException;
    }

    /** Counts of one workload's transactions. */
    public record WorkloadStats(String workload, int users, long committed, long rolledBack, long errors, String lastError) {
    }

    private final List<Workload> workloads;
    private final Duration thinkTime;
    private final Duration duration;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, Counters> counters = new LinkedHashMap<>();
    private final AtomicInteger activeUsers = new AtomicInteger();
    private ExecutorService executor;
    private volatile Instant startedAt;

    private static final class Counters {
        final LongAdder committed = new LongAdder();
        final LongAdder rolledBack = new LongAdder();
        final LongAdder errors = new LongAdder();
        volatile String lastError;
    }

    public Simulation(List<Workload> workloads, Duration thinkTime, Duration duration) {
        int total = workloads.stream().mapToInt(Workload::users).sum();
        if (total > MAX_USERS) {
            throw new IllegalArgumentException("poolwatch.simulator.users: " + total + " users in all; accepted: at most " + MAX_USERS);
        }
        this.workloads = List.copyOf(workloads);
        this.thinkTime = thinkTime;
        this.duration = duration;
        workloads.forEach(w -> counters.put(w.name(), new Counters()));
    }

    /** Starts every user; does nothing if already running. */
    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        int total = workloads.stream().mapToInt(Workload::users).sum();
        AtomicInteger ids = new AtomicInteger();
        executor = Executors.newFixedThreadPool(Math.max(1, total), r -> {
            Thread t = new Thread(r, "simulator-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        startedAt = Instant.now();
        long deadline = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        for (Workload w : workloads) {
            for (int i = 0; i < w.users(); i++) {
                executor.execute(() -> user(w, deadline));
            }
        }
        LOG.infof("simulator started: %s, think time %s", describe(), thinkTime);
    }

    private void user(Workload w, long deadline) {
        Counters c = counters.get(w.name());
        activeUsers.incrementAndGet();
        try {
            while (running.get() && System.nanoTime() < deadline) {
                try (Connection connection = w.dataSource().getConnection()) {
                    if (w.transaction().run(connection) == DemoTransactions.Outcome.COMMITTED) {
                        c.committed.increment();
                    } else {
                        c.rolledBack.increment();
                    }
                } catch (SQLException | RuntimeException e) {
                    c.errors.increment();
                    c.lastError = e.getMessage();
                }
                if (!pause()) {
                    return;
                }
            }
        } finally {
            activeUsers.decrementAndGet();
        }
    }

    /** Waits the think time, varied by up to half of it; false when interrupted. */
    private boolean pause() {
        long base = thinkTime.toMillis();
        if (base <= 0) {
            return !Thread.currentThread().isInterrupted();
        }
        long jitter = base / 2 == 0 ? 0 : ThreadLocalRandom.current().nextLong(-base / 2, base / 2 + 1);
        try {
            Thread.sleep(base + jitter);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops every user and waits up to {@code timeout} for their transactions to finish. */
    public synchronized void stop(Duration timeout) {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.infof("simulator stopped: %s", stats());
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    public boolean running() {
        return running.get() && activeUsers.get() > 0;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Counts per workload since the start. */
    public List<WorkloadStats> stats() {
        List<WorkloadStats> out = new ArrayList<>();
        for (Workload w : workloads) {
            Counters c = counters.get(w.name());
            out.add(new WorkloadStats(w.name(), w.users(), c.committed.sum(), c.rolledBack.sum(), c.errors.sum(), c.lastError));
        }
        return out;
    }

    private String describe() {
        StringBuilder sb = new StringBuilder();
        for (Workload w : workloads) {
            sb.append(sb.isEmpty() ? "" : ", ").append(w.users()).append(" on ").append(w.name());
        }
        return sb.toString();
    }
}
