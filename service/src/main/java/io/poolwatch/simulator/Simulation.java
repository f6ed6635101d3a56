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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
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
 * No user holds a platform thread of its own: a thousand of them would be a thousand threads competing with the
 * process's own HTTP, probes and sampling on a small machine. On a Java 21+ runtime (found at run time; this code is
 * compiled for 17) each user is a virtual thread. Otherwise each workload's users share a bounded set of worker
 * threads ({@link Workload#concurrency()}: more than its pool's connections, so callers waiting on an exhausted pool are
 * still there to see); a user's think time is a delayed task on them, not a sleeping thread.
 * <p>
 * Threads are not what starves a small machine, though: CPU is. A thousand users at a 200 ms think time ask for up to
 * 5,000 transactions a second, which two cores cannot serve beside the database, so every runnable thread and database
 * backend, the probes' event loop among them, waits its turn for the CPU. A run may therefore bound the transactions in
 * flight at once across all its workloads ({@code poolwatch.simulator.max-in-flight}): a user past the bound waits for
 * a free slot without using the CPU. A synchronous transaction keeps at most one processor busy (its thread or its
 * database backend, taking turns), so a bound of half the processors leaves the other half to the process's own work.
 */
public final class Simulation implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Simulation.class);
    /** The most users one run starts. */
    public static final int MAX_USERS = 5000;

    /**
     * What one workload's users do, and on which pool.
     *
     * @param concurrency the most of its transactions in flight at once where users are not virtual threads: its pool's
     *        max-size and some more, so an exhausted pool still has callers waiting on it
     */
    public record Workload(String name, DataSource dataSource, int users, Transaction transaction, int concurrency) {

        /** A workload whose transactions may all be in flight at once (concurrency = users). */
        public Workload(String name, DataSource dataSource, int users, Transaction transaction) {
            this(name, dataSource, users, transaction, Math.max(1, users));
        }
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
    /** Virtual threads, one per user; or null, where users share the workers below. */
    private ExecutorService virtualUsers;
    private final List<ScheduledExecutorService> workers = new ArrayList<>();
    private volatile Instant startedAt;

    private static final class Counters {
        final LongAdder committed = new LongAdder();
        final LongAdder rolledBack = new LongAdder();
        final LongAdder errors = new LongAdder();
        volatile String lastError;
    }

    private final boolean virtualThreads;
    /** Slots for transactions in flight across the workloads, or null for no bound. */
    private final Semaphore inFlight;
    private final int maxInFlight;

    /** A run whose users are virtual threads where the runtime has them, with no bound on transactions in flight. */
    public Simulation(List<Workload> workloads, Duration thinkTime, Duration duration) {
        this(workloads, thinkTime, duration, true, 0);
    }

    /**
     * A run; {@code virtualThreads} false keeps users on the shared workers even on a runtime with virtual threads
     * ({@code poolwatch.simulator.virtual-threads}); at most {@code maxInFlight} transactions run at once across the
     * workloads, 0 for no bound ({@code poolwatch.simulator.max-in-flight}).
     */
    public Simulation(List<Workload> workloads, Duration thinkTime, Duration duration, boolean virtualThreads,
            int maxInFlight) {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException(
                    "poolwatch.simulator.max-in-flight=" + maxInFlight + ": accepted: 0 (no bound) or more");
        }
        this.maxInFlight = maxInFlight;
        this.inFlight = maxInFlight == 0 ? null : new Semaphore(maxInFlight);
        int total = workloads.stream().mapToInt(Workload::users).sum();
        if (total > MAX_USERS) {
            throw new IllegalArgumentException(
                    "poolwatch.simulator.users: " + total + " users in all; accepted: at most " + MAX_USERS);
        }
        this.workloads = List.copyOf(workloads);
        this.thinkTime = thinkTime;
        this.duration = duration;
        this.virtualThreads = virtualThreads;
        workloads.forEach(w -> counters.put(w.name(), new Counters()));
    }

    /** Starts every user; does nothing if already running. */
    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        startedAt = Instant.now();
        long deadline = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        virtualUsers = virtualThreads ? VirtualThreads.perTaskExecutor("simulator-").orElse(null) : null;
        if (virtualUsers != null) {
            for (Workload w : workloads) {
                for (int i = 0; i < w.users(); i++) {
                    virtualUsers.execute(() -> user(w, deadline));
                }
            }
        } else {
            for (Workload w : workloads) {
                ScheduledExecutorService pool = workers(w);
                workers.add(pool);
                for (int i = 0; i < w.users(); i++) {
                    activeUsers.incrementAndGet();
                    // Spread over one think time, so the users do not all arrive at once.
                    long first = thinkTime.toMillis() <= 0 ? 0 : ThreadLocalRandom.current().nextLong(thinkTime.toMillis() + 1);
                    pool.schedule(() -> step(w, pool, deadline), first, TimeUnit.MILLISECONDS);
                }
            }
        }
        LOG.infof("simulator started: %s, think time %s, %s, %s", describe(), thinkTime, threading(),
                maxInFlight == 0 ? "no bound on transactions in flight" : "at most " + maxInFlight + " transactions in flight");
    }

    /** How the users run: on virtual threads, or on how many worker threads. */
    public String threading() {
        if (virtualUsers != null) {
            return "each user a virtual thread";
        }
        int threads = workloads.stream().mapToInt(w -> Math.min(Math.max(1, w.users()), Math.max(1, w.concurrency()))).sum();
        return "users share " + threads + " worker threads";
    }

    private ScheduledExecutorService workers(Workload w) {
        int size = Math.min(Math.max(1, w.users()), Math.max(1, w.concurrency()));
        AtomicInteger ids = new AtomicInteger();
        // A user's think time is a delayed task on its workload's workers, not a sleeping thread; its queue is bounded by
        // construction, each user having at most one task queued or running.
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(size,
                r -> daemon(r, "simulator-" + w.name() + "-" + ids.incrementAndGet()));
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return pool;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One user on a virtual thread: transactions and think times until stopped or the deadline. */
    private void user(Workload w, long deadline) {
        Counters c = counters.get(w.name());
        activeUsers.incrementAndGet();
        try {
            while (running.get() && System.nanoTime() < deadline) {
                transaction(w, c);
                long pause = thinkMillis();
                if (pause > 0) {
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                } else if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        } finally {
            activeUsers.decrementAndGet();
        }
    }

    /** One transaction of a user on a shared worker, then its next one after its think time, on the same workers. */
    private void step(Workload w, ScheduledExecutorService pool, long deadline) {
        if (!running.get() || System.nanoTime() >= deadline) {
            userEnded();
            return;
        }
        transaction(w, counters.get(w.name()));
        try {
            pool.schedule(() -> step(w, pool, deadline), thinkMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            userEnded();
        }
    }

    /** A user on the shared workers is done; never below 0, since {@link #stop} counts the ones it dropped at once. */
    private void userEnded() {
        activeUsers.updateAndGet(n -> Math.max(0, n - 1));
    }

    /** The most transactions in flight at once across the workloads; 0 for no bound. */
    public int maxInFlight() {
        return maxInFlight;
    }

    private void transaction(Workload w, Counters c) {
        if (inFlight == null) {
            run(w, c);
            return;
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (running.get()) {
                run(w, c);
            }
        } finally {
            inFlight.release();
        }
    }

    private static void run(Workload w, Counters c) {
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
    }

    /** The think time, varied by up to half of it. */
    private long thinkMillis() {
        long base = thinkTime.toMillis();
        if (base <= 0) {
            return 0;
        }
        long jitter = base / 2 == 0 ? 0 : ThreadLocalRandom.current().nextLong(-base / 2, base / 2 + 1);
        return base + jitter;
    }

    /** Stops every user and waits up to {@code timeout} for their transactions to finish. */
    public synchronized void stop(Duration timeout) {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        long until = System.nanoTime() + timeout.toNanos();
        List<ExecutorService> executors = new ArrayList<>();
        for (ScheduledExecutorService pool : workers) {
            // Think times pending are dropped (the executor's policy); transactions in flight finish.
            pool.shutdown();
            executors.add(pool);
        }
        if (virtualUsers != null) {
            virtualUsers.shutdown();
            executors.add(virtualUsers);
        }
        try {
            for (ExecutorService e : executors) {
                if (!e.awaitTermination(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    e.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            executors.forEach(ExecutorService::shutdownNow);
            Thread.currentThread().interrupt();
        }
        if (!workers.isEmpty()) {
            // Users whose next step was dropped are no longer running.
            activeUsers.set(0);
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
