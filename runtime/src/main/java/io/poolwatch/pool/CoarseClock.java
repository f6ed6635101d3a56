package io.poolwatch.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A clock read with one memory load: a daemon thread stores {@link System#nanoTime()} every tick, and statements that
 * are not timed read that value instead of the system clock. On this project's reference machine (KVM guest,
 * {@code kvm-clock}) a {@code System.nanoTime()} costs a few hundred nanoseconds, more than the rest of a statement's
 * bookkeeping together; the slow-statement check needs only to know whether a statement ran past a threshold of
 * hundreds of milliseconds, which a tick of a fiftieth of the threshold answers.
 * <p>
 * One clock serves every pool: it ticks at the finest resolution any user asked for, and its thread runs only while a
 * user holds it (each {@link StatementRecorder}, from its pool's opening to its closing), so a closed application or a
 * reloaded one leaves no thread behind.
 */
final class CoarseClock {

    /** The value read by statements: a System.nanoTime() at most one tick (plus scheduling delay) old. */
    private static volatile long now = System.nanoTime();
    /** The ticks asked for by the current users; the thread uses the smallest. */
    private static final List<Long> TICKS = new ArrayList<>();
    private static volatile long tickNanos = Long.MAX_VALUE;
    private static Thread ticker;

    private CoarseClock() {
    }

    /** The coarse time, comparable with {@link System#nanoTime()}; never ahead of it. */
    static long now() {
        return now;
    }

    /** Starts using the clock with ticks no longer than {@code nanos}; undone by {@link #release(long)}. */
    static synchronized void acquire(long nanos) {
        TICKS.add(nanos);
        tickNanos = TICKS.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        now = System.nanoTime();
        if (ticker == null) {
            Thread t = new Thread(CoarseClock::tick, "poolwatch-coarse-clock");
            t.setDaemon(true);
            ticker = t;
            t.start();
        } else {
            LockSupport.unpark(ticker);
        }
    }

    /** Stops using the clock with the tick given to {@link #acquire(long)}; the last user stops the thread. */
    static synchronized void release(long nanos) {
        if (!TICKS.remove(nanos)) {
            return;
        }
        tickNanos = TICKS.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        if (TICKS.isEmpty() && ticker != null) {
            ticker.interrupt();
            ticker = null;
        }
    }

    /** The current tick in nanoseconds (Long.MAX_VALUE when nobody uses the clock). */
    static long tickNanos() {
        return tickNanos;
    }

    private static void tick() {
        Thread self = Thread.currentThread();
        while (!self.isInterrupted()) {
            now = System.nanoTime();
            long tick = tickNanos;
            LockSupport.parkNanos(tick == Long.MAX_VALUE ? 1_000_000_000L : tick);
        }
    }
}
