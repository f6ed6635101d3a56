package io.poolwatch.pool;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import io.poolwatch.engine.DatabaseKind;

/**
 * Counts and times the statements run through one pool ({@link TimedStatement} calls it around each execution) and keeps
 * the slow ones: a count, and per statement text (values stripped) how often and how long.
 * <p>
 * Statements are timed the way checkouts are: every one is counted exactly, a quiet pool times every one, a busy pool
 * times a sample, about a thousand a second (chosen by {@link #takeInterval(Duration)} from the rate), and the sampler folds
 * the timed
 * durations into the exported histogram scaled to the exact count. The untimed rest reads the {@link CoarseClock} (one
 * memory load) instead of the system clock, which is enough to catch every statement that runs past the slow-statement
 * threshold: the clock ticks at a fiftieth of the threshold, so a statement is caught to within that tick. Nothing is
 * allocated per execution unless the statement is slow or logged.
 */
public final class StatementRecorder implements AutoCloseable {

    private static final Logger ECHO = Logger.getLogger("io.poolwatch.sql");
    /** Distinct slow statement texts kept; the least recently slow one makes room. */
    private static final int SLOW_TEXTS_KEPT = 50;
    /** The coarse clock's tick is this fraction of the threshold, within the bounds below. */
    private static final long TICKS_PER_THRESHOLD = 50;
    private static final long FINEST_TICK_NANOS = 1_000_000L;
    private static final long COARSEST_TICK_NANOS = 20_000_000L;
    /** No statement has completed yet. */
    private static final long NEVER = Long.MIN_VALUE;

    private final String pool;
    private final DatabaseKind kind;
    private final long slowNanos;
    private final long tickNanos;
    private final boolean echo;
    private final Clock clock;

    /** Statement times since the pool was created, for export: the timed ones folded in, scaled to the exact count. */
    private final DurationHistogram durations = new DurationHistogram();
    /** Timed statements not yet folded into {@link #durations}. */
    private final SampledDurations sampled = new SampledDurations();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder slow = new LongAdder();
    /** When (System.nanoTime) a statement last completed, to within a tick; written at most about once a tick. */
    private volatile long lastCompletedNanos = NEVER;
    /** A statement is timed when (random & mask) == 0; 0 times every one. */
    private volatile int sampleMask;
    /** Statements folded into {@link #durations} so far. Sampler thread only. */
    private long folded;
    private boolean closed;
    private final Map<String, SlowStatement> slowTexts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SlowStatement> eldest) {
            return size() > SLOW_TEXTS_KEPT;
        }
    };

    /** @param kind the pool's engine, whose rules the statements' literals are masked by */
    public StatementRecorder(String pool, DatabaseKind kind, Duration slowThreshold, boolean echo, Clock clock) {
        this.pool = pool;
        this.kind = kind;
        this.slowNanos = slowThreshold.toNanos();
        this.echo = echo;
        this.clock = clock;
        this.tickNanos = Math.max(FINEST_TICK_NANOS, Math.min(COARSEST_TICK_NANOS, slowNanos / TICKS_PER_THRESHOLD));
        CoarseClock.acquire(tickNanos);
    }

    // ---- hot path (TimedStatement) ----

    /**
     * Called before an execution; hands back the start to pass to {@link #end}. A timed statement's start is the system
     * clock with the low bit set; an untimed one's the coarse clock with it clear (a nanosecond is not worth a field).
     */
    long begin() {
        int mask = sampleMask;
        if (mask == 0 || (ThreadLocalRandom.current().nextInt() & mask) == 0) {
            return System.nanoTime() | 1L;
        }
        return CoarseClock.now() & ~1L;
    }

    /**
     * Called after an execution that began at {@code start}.
     *
     * @param sql the statement's text (a batch's first), normalised only if it is slow or logged
     * @param batch the number of statements in a batch, 0 for a single execution
     * @param ok whether the database answered without an error
     */
    void end(long start, String sql, int batch, boolean ok) {
        long now;
        if ((start & 1L) != 0) {
            now = System.nanoTime();
            sampled.record(now - start);
        } else {
            now = CoarseClock.now();
        }
        long elapsed = now - start;
        if (ok) {
            completed.increment();
            long last = lastCompletedNanos;
            if (last == NEVER || now - last >= tickNanos) {
                lastCompletedNanos = now;
            }
        } else {
            failed.increment();
        }
        if (echo) {
            ECHO.infof("pool %s: %.3f ms: %s", pool, elapsed / 1e6, text(sql, batch));
        }
        if (elapsed >= slowNanos) {
            recordSlow(text(sql, batch), elapsed / 1e6);
        }
    }

    private void recordSlow(String sql, double ms) {
        slow.increment();
        synchronized (slowTexts) {
            SlowStatement prior = slowTexts.get(sql);
            slowTexts.put(sql, new SlowStatement(sql, prior == null ? 1 : prior.count() + 1,
                    prior == null ? ms : Math.max(prior.longestMs(), ms), ms, clock.instant()));
        }
    }

    String text(String sql, int batch) {
        String text = sql == null ? "" : SqlText.normalize(sql, kind);
        return batch > 1 ? text + " (batch of " + batch + ")" : text;
    }

    // ---- sampler ----

    /**
     * Folds the statements timed since the previous call into the exported histogram, scaled to the exact count, and
     * chooses from the rate just measured how many statements to time next: all of them in a quiet pool (and all when
     * statements are logged), about a thousand a second in a busy one ({@link TimingSample}). For the sampler, which alone
     * calls it, once an interval.
     */
    public synchronized void takeInterval(Duration over) {
        long total = statements();
        long events = total - folded;
        folded = total;
        sampled.foldInto(durations, events);
        double perSecond = events / Math.max(0.001, over.toMillis() / 1000.0);
        sampleMask = echo ? 0 : TimingSample.mask(perSecond);
    }

    // ---- reading ----

    /** Statement times since the pool was created, for export; complete as of the last {@link #takeInterval}. */
    public DurationHistogram durations() {
        return durations;
    }

    /** Statements run since the pool was created (exact, at once). */
    public long statements() {
        return failed.sum() + completed.sum();
    }

    /** Statements that the database answered without an error since the pool was created: proof that it answers. */
    public long completedStatements() {
        return completed.sum();
    }

    /**
     * How long ago (as of {@code nowNanos}, a {@link System#nanoTime()}) a statement last completed, to within the coarse
     * clock's tick; empty if none has.
     */
    public Optional<Duration> sinceLastCompleted(long nowNanos) {
        long last = lastCompletedNanos;
        return last == NEVER ? Optional.empty() : Optional.of(Duration.ofNanos(Math.max(0, nowNanos - last)));
    }

    /** Total time spent in statements since the pool was created, in nanoseconds, as of the last {@link #takeInterval}. */
    public long totalNanos() {
        return Math.round(durations.sumSeconds() * 1e9);
    }

    /** Slow statements since the pool was created. */
    public long slowStatements() {
        return slow.sum();
    }

    /** The slow statement texts kept, slowest first. */
    public List<SlowStatement> slowTexts() {
        synchronized (slowTexts) {
            List<SlowStatement> list = new ArrayList<>(slowTexts.values());
            list.sort((a, b) -> Double.compare(b.longestMs(), a.longestMs()));
            return list;
        }
    }

    /** Forgets the slow statement texts. */
    public void resetSlowTexts() {
        synchronized (slowTexts) {
            slowTexts.clear();
        }
    }

    /** How many statements in one are timed now: 1, or a power of two up to {@link TimingSample#MAX_ONE_IN}. */
    int timedOneIn() {
        return sampleMask + 1;
    }

    /** The coarse clock's tick this recorder asked for: how closely an untimed slow statement is measured. */
    long tickNanos() {
        return tickNanos;
    }

    /** Stops using the coarse clock (the pool is closed); statements still running are counted all the same. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            CoarseClock.release(tickNanos);
        }
    }
}
