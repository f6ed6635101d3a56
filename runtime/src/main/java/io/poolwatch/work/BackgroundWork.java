package io.poolwatch.work;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;

/**
 * Every background thread of poolwatch's own work, owned by one component: one timer thread that only decides when
 * something runs, and named {@link Lane lanes} that run it. Work that can block on a database or a receiver runs in a
 * lane of its own (one per database for validations and lag reads, so that a hung server holds up only its own
 * lane); work that only looks at memory may run on the timer. A thread dump names the lane and the task it is running
 * ({@code poolwatch-alerting: alert evaluation}).
 *
 * <p>
 * Components stop their own tasks and drain their own lanes in their shutdown observers, in the order the shutdown
 * needs (readiness first, then the drains, then the stores); what is still running is stopped here, after them all.
 * Tests that build a component without CDI make a {@code BackgroundWork} of their own and close it.
 */
@Singleton
public class BackgroundWork implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BackgroundWork.class);

    /** The most work items waiting in one lane; the producers of poolwatch's work keep far fewer. */
    public static final int QUEUE_BOUND = 10_000;

    /** The most lanes one process opens: two per database at most (validation, replication lag) and a few of its own. */
    public static final int LANE_BOUND = 1_000;

    private static final String PREFIX = "poolwatch-";

    private final ScheduledThreadPoolExecutor timer;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    public BackgroundWork() {
        timer = new ScheduledThreadPoolExecutor(1, named(PREFIX + "timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    /**
     * The lane called {@code name}, opened with {@code threads} threads on first use; a lane asked for again is the
     * same lane, unless it was stopped, when a new one replaces it. Its threads are named {@code poolwatch-<name>} (with
     * {@code -<n>} when there are several).
     *
     * @throws IllegalStateException when {@link #LANE_BOUND} lanes are open already, or this has been closed
     */
    public Lane lane(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("lane " + name + ": threads=" + threads + "; accepted: 1 or more");
        }
        if (timer.isShutdown()) {
            throw new IllegalStateException("background work has stopped; lane " + name + " cannot open");
        }
        return lanes.compute(name, (n, open) -> {
            if (open != null && !open.stopped()) {
                return open;
            }
            if (open == null && lanes.size() >= LANE_BOUND) {
                throw new IllegalStateException("lane " + n + ": " + LANE_BOUND + " lanes are open already");
            }
            return new Lane(n, threads);
        });
    }

    /**
     * Runs {@code task} on the timer thread after {@code delay}, then {@code period} after each run ends (a fixed
     * delay, so runs never overlap and a slow run is not followed by a burst). For work that only reads memory or hands
     * work to a lane; anything that may block uses {@link #every(String, Duration, Duration, Lane, Runnable)}. A task
     * that throws is logged and runs again at its next time.
     */
    public Periodic every(String task, Duration delay, Duration period, Runnable work) {
        return every(task, delay, period, null, work);
    }

    /**
     * Runs {@code work} in {@code lane} after {@code delay}, then {@code period} after each run ends; the timer only
     * hands it over. A run that throws is logged and the task runs again at its next time.
     */
    public Periodic every(String task, Duration delay, Duration period, Lane lane, Runnable work) {
        requirePositive(task, "period", period);
        Periodic p = new Periodic(task, period, lane, work);
        p.plan(delay);
        return p;
    }

    /**
     * Runs {@code work} from now on, {@code period} after each run ends, in a lane of its own called {@code lane}, each
     * time that {@code enabled} says so when its time comes: the shape of every sampler. A run that throws is logged
     * with {@code task} and runs again at its next time.
     */
    public Periodic everyInOwnLane(String lane, String task, Duration period, BooleanSupplier enabled, Runnable work) {
        return every(task, Duration.ZERO, period, lane(lane, 1), () -> {
            if (enabled.getAsBoolean()) {
                work.run();
            }
        });
    }

    /**
     * Runs {@code work} once on the timer thread after {@code delay}; for short work only, like
     * {@link #every(String, Duration, Duration, Runnable)}. Empty once this is closed; cancelling the future before
     * it runs stops it.
     */
    public Optional<ScheduledFuture<?>> once(String task, Duration delay, Runnable work) {
        return once(task, delay, null, work);
    }

    /** Runs {@code work} once in {@code lane} after {@code delay}; the timer only hands it over. */
    public Optional<ScheduledFuture<?>> once(String task, Duration delay, Lane lane, Runnable work) {
        Runnable run = named(task, work);
        try {
            return Optional.of(timer.schedule(lane == null ? run : () -> lane.handOver(task, run), Math.max(0, delay.toNanos()),
                    TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            return Optional.empty();
        }
    }

    /** Whether {@link #close()} has run. */
    public boolean closed() {
        return timer.isShutdown();
    }

    void onStop(@Observes @Priority(Integer.MAX_VALUE - 10) ShutdownEvent event) {
        close();
    }

    /**
     * Stops the timer and every lane: their queued work is dropped and the running work is interrupted. Components
     * that must finish work in flight drain their own lanes first ({@link Lane#drain(Duration)}).
     */
    @Override
    public void close() {
        timer.shutdownNow();
        lanes.values().forEach(l -> l.executor.shutdownNow());
    }

    private static void requirePositive(String task, String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(task + ": " + what + "=" + d + "; accepted: a duration above zero");
        }
    }

    /** Runs {@code work} with the thread named after the task, so that a thread dump tells what it is doing. */
    private static Runnable named(String task, Runnable work) {
        return () -> {
            Thread self = Thread.currentThread();
            String name = self.getName();
            self.setName(name + ": " + task);
            try {
                work.run();
            } finally {
                self.setName(name);
            }
        };
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** A named set of threads that runs work handed to it, with a bounded queue. */
    public final class Lane {

        private final String name;
        private final String threadName;
        private final ThreadPoolExecutor executor;

        private Lane(String name, int threads) {
            this.name = name;
            this.threadName = PREFIX + name;
            AtomicInteger n = new AtomicInteger();
            this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(QUEUE_BOUND),
                    r -> {
                        Thread t = new Thread(r, threads == 1 ? threadName : threadName + "-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
        }

        public String name() {
            return name;
        }

        /**
         * Runs {@code work} on one of the lane's threads, named after {@code task} while it runs.
         *
         * @throws RejectedExecutionException when the lane is stopped or {@link BackgroundWork#QUEUE_BOUND} items wait
         */
        public Future<?> submit(String task, Runnable work) {
            return executor.submit(named(task, work));
        }

        /** Runs {@code work} like {@link #submit(String, Runnable)}, without a future. */
        public void execute(String task, Runnable work) {
            executor.execute(named(task, work));
        }

        /** Called on the timer: a full lane skips the work (logged) rather than block the timer. */
        private void handOver(String task, Runnable run) {
            try {
                executor.execute(run);
            } catch (RejectedExecutionException e) {
                if (!executor.isShutdown()) {
                    LOG.warnf("%s skipped: lane %s has %d items waiting", task, name, QUEUE_BOUND);
                }
            }
        }

        /** The lane as an {@link java.util.concurrent.Executor} whose work is named {@code task} while it runs. */
        public Executor executor(String task) {
            return r -> execute(task, r);
        }

        /** Whether the lane takes no more work. */
        public boolean stopped() {
            return executor.isShutdown();
        }

        /**
         * Stops taking work and waits up to {@code grace} for what was handed over to finish; what is still running then
         * is interrupted. Returns whether everything finished within the grace.
         */
        public boolean drain(Duration grace) {
            executor.shutdown();
            try {
                if (executor.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                    return true;
                }
                executor.shutdownNow();
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
            return false;
        }

        /** Stops the lane now: queued work is dropped, running work interrupted. */
        public void stop() {
            executor.shutdownNow();
        }

        /** Stops the lane now and waits up to {@code wait} for its running work to end. */
        public void stopAndWait(Duration wait) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A task that runs again a fixed delay after each run ends, until cancelled. */
    public final class Periodic {

        private final String task;
        private final Duration period;
        private final Lane lane;
        private final Runnable run;
        private volatile boolean cancelled;
        private volatile ScheduledFuture<?> next;

        private Periodic(String task, Duration period, Lane lane, Runnable work) {
            this.task = task;
            this.period = period;
            this.lane = lane;
            this.run = named(task, () -> runOnce(work));
        }

        private void runOnce(Runnable work) {
            if (cancelled) {
                return;
            }
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "%s failed; it runs again in %s", task, period);
            } finally {
                plan(period);
            }
        }

        private void plan(Duration delay) {
            if (cancelled) {
                return;
            }
            try {
                next = timer.schedule(lane == null ? run : this::handOver, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // stopping
            }
        }

        private void handOver() {
            try {
                lane.executor.execute(run);
            } catch (RejectedExecutionException e) {
                if (!lane.stopped()) {
                    LOG.warnf("%s skipped: lane %s is full; it runs again in %s", task, lane.name, period);
                    plan(period);
                }
            }
        }

        public String task() {
            return task;
        }

        /** No further runs; a run in progress finishes. */
        public void cancel() {
            cancelled = true;
            ScheduledFuture<?> f = next;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
