package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;

import io.agroal.api.AgroalDataSourceListener;

/**
 * Records what one pool does, from Agroal's listener events. The hot path (acquire, return) only counts on the
 * connection being handed out ({@link ConnectionStats}); checkout and lease times are timed for a sample of
 * acquisitions and recorded into wait-free histograms. Everything derived (gauges, rates, percentiles) is
 * computed by the sampler.
 */
public final class PoolRecorder implements AgroalDataSourceListener {

    /** Leaked connections returned later, kept for display. */
    private static final int RETURNED_LEAKS_KEPT = 20;
    private static final int STACK_FRAMES_KEPT = 40;

    private final String pool;
    private final Duration leakInterval;
    private final Clock clock;

    /** Hand-outs and returns are counted on the connections themselves; these hold those of closed ones. */
    private final Set<ConnectionStats> liveConnections = ConcurrentHashMap.newKeySet();
    /**
     * A closed connection's counts move from {@link #liveConnections} to the two totals under this lock, so a reader
     * never sees them in neither place, in both, or half moved (its hand-outs without its returns would read as a
     * lease). Readers validate an optimistic stamp and take the read lock only if a close raced with them.
     */
    private final StampedLock closing = new StampedLock();
    private long closedAcquired;
    private long closedReturned;
    /** For connections that carry no stats (never in poolwatch's own pools, which open them through its driver). */
    private final LongAdder otherAcquired = new LongAdder();
    private final LongAdder otherReturned = new LongAdder();
    /** Callers blocked waiting for a connection; the per-thread flag keeps one caller counted once. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final ThreadLocal<Boolean> waitingHere = new ThreadLocal<>();
    private final LongAdder failures = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder created = new LongAdder();
    private final LongAdder destroyed = new LongAdder();
    private final LongAdder invalid = new LongAdder();
    private final LongAdder reaped = new LongAdder();
    private final LongAdder flushed = new LongAdder();
    private final LongAdder creationFailures = new LongAdder();
    private final LongAdder leaks = new LongAdder();
    private final LongAccumulator peakOpen = new LongAccumulator(Math::max, 0);

    private final LatencyRecorder checkout = new LatencyRecorder();
    private final LatencyRecorder lease = new LatencyRecorder();
    /** Time to open a physical connection, every one (they are few). */
    private final DurationHistogram creation = new DurationHistogram();
    /** An acquisition is timed when (random & mask) == 0; the sampler widens the mask for busy pools. */
    private volatile int sampleMask;

    private final Map<Connection, LeakRecord> currentLeaks = new IdentityHashMap<>();
    private final Deque<LeakRecord> returnedLeaks = new ArrayDeque<>();
    /** Read on every return; written only when a leak is reported or comes back. */
    private volatile boolean leaksOut;
    /** The System.nanoTime() at which this thread began opening a connection, while it does. */
    private final ThreadLocal<Long> creating = new ThreadLocal<>();
    private volatile String lastCreationError;
    private volatile Instant lastCreationErrorAt;

    /**
     * Listeners that care only about connections being opened and closed (TLS reading, the monitor gate). Agroal calls
     * every registered listener on every acquire and return (four interface calls each per checkout, and megamorphic
     * ones once several listener classes exist), so the pool registers this recorder alone and it passes these on.
     */
    private final AgroalDataSourceListener[] lifeCycle;

    public PoolRecorder(String pool, Duration leakInterval, Clock clock) {
        this(pool, leakInterval, clock, List.of());
    }

    /** A recorder that passes connection opening and closing events on to {@code lifeCycle}, in order, after its own. */
    public PoolRecorder(String pool, Duration leakInterval, Clock clock, List<? extends AgroalDataSourceListener> lifeCycle) {
        this.pool = pool;
        this.leakInterval = leakInterval;
        this.clock = clock;
        this.lifeCycle = lifeCycle.toArray(AgroalDataSourceListener[]::new);
    }

    // ---- hot path ----

    /** Whether the caller about to call getConnection should time it (the pool's DataSource asks). */
    public boolean timeThisCheckout() {
        int mask = sampleMask;
        return mask == 0 || (ThreadLocalRandom.current().nextInt() & mask) == 0;
    }

    /** A timed getConnection took {@code nanos}. */
    public void checkoutTook(long nanos) {
        checkout.record(nanos);
    }

    @Override
    public void beforePoolBlock(long timeout) {
        if (waitingHere.get() == null) {
            waitingHere.set(Boolean.TRUE);
            waiting.incrementAndGet();
        }
    }

    private void stopWaiting() {
        if (waitingHere.get() != null) {
            waitingHere.remove();
            waiting.decrementAndGet();
        }
    }

    @Override
    public void onConnectionAcquire(Connection connection) {
        if (connection instanceof ConnectionStats stats) {
            long n = stats.acquire();
            // Lease times of one in (mask + 1) hand-outs of each connection.
            if ((n & sampleMask) == 0) {
                stats.leasedAt = System.nanoTime();
            }
        } else {
            otherAcquired.increment();
        }
        if (waiting.get() != 0) {
            stopWaiting();
        }
    }

    @Override
    public void onConnectionReturn(Connection connection) {
        if (connection instanceof ConnectionStats stats) {
            stats.release();
            if (stats.leasedAt != 0) {
                lease.record(System.nanoTime() - stats.leasedAt);
                stats.leasedAt = 0;
            }
        } else {
            otherReturned.increment();
        }
        if (leaksOut) {
            leakReturned(connection);
        }
    }

    /** Called by the pool's DataSource when getConnection throws. */
    public void acquisitionFailed(SQLException e) {
        failures.increment();
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("acquisition timeout")) {
            timeouts.increment();
        }
        if (waiting.get() != 0) {
            stopWaiting();
        }
    }

    // ---- connection life cycle (housekeeping threads) ----

    @Override
    public void beforeConnectionCreation() {
        creating.set(System.nanoTime());
    }

    @Override
    public void onConnectionCreation(Connection connection) {
        Long began = creating.get();
        if (began != null) {
            creation.record(System.nanoTime() - began);
        }
        creating.remove();
        created.increment();
        if (connection instanceof ConnectionStats stats) {
            liveConnections.add(stats);
        }
        peakOpen.accumulate(created.sum() - destroyed.sum());
        for (AgroalDataSourceListener l : lifeCycle) {
            l.onConnectionCreation(connection);
        }
    }

    @Override
    public void onConnectionDestroy(Connection connection) {
        destroyed.increment();
        if (connection instanceof ConnectionStats stats) {
            long stamp = closing.writeLock();
            try {
                if (liveConnections.remove(stats)) {
                    // A closed connection holds no lease. Its hand-outs all count as returned: Agroal runs the close on
                    // its housekeeping thread as soon as a connection flushed on return leaves the pool, which can be
                    // before the flush is reported to this recorder on the returning thread.
                    long acquired = stats.acquiredCount();
                    closedAcquired += acquired;
                    closedReturned += acquired;
                }
            } finally {
                closing.unlockWrite(stamp);
            }
        }
        if (leaksOut) {
            leakReturned(connection);
        }
        for (AgroalDataSourceListener l : lifeCycle) {
            l.onConnectionDestroy(connection);
        }
    }

    /**
     * Agroal closes a connection instead of returning it when it comes back past its max lifetime, broken, or while
     * the pool shrinks; it then reports a flush or a reap, not a return. The lease has ended all the same.
     */
    private static void closedWhileLeased(Connection connection) {
        if (connection instanceof ConnectionStats stats && stats.acquiredCount() > stats.returnedCount()) {
            stats.release();
            stats.leasedAt = 0;
        }
    }

    @Override
    public void onConnectionInvalid(Connection connection) {
        invalid.increment();
    }

    @Override
    public void onConnectionReap(Connection connection) {
        reaped.increment();
        closedWhileLeased(connection);
    }

    @Override
    public void onConnectionFlush(Connection connection) {
        flushed.increment();
        closedWhileLeased(connection);
        if (leaksOut) {
            leakReturned(connection);
        }
    }

    @Override
    public void onWarning(Throwable throwable) {
        if (creating.get() != null) {
            creating.remove();
            creationFailed(throwable.getMessage() == null ? throwable.getClass().getSimpleName() : throwable.getMessage());
        }
    }

    @Override
    public void onWarning(String message) {
        if (creating.get() != null && message.startsWith("Failed to create connection")) {
            creating.remove();
            creationFailed(message);
        }
    }

    private void creationFailed(String message) {
        creationFailures.increment();
        lastCreationError = message;
        lastCreationErrorAt = clock.instant();
    }

    // ---- leaks ----

    @Override
    public void onConnectionLeak(Connection connection, Thread holder) {
        Instant now = clock.instant();
        List<String> stack = holder == null ? List.of()
                : Arrays.stream(holder.getStackTrace()).limit(STACK_FRAMES_KEPT).map(StackTraceElement::toString).toList();
        String holderName = holder == null ? "unknown" : holder.getName() + " (id " + holder.getId() + ")";
        String state = holder == null ? "unknown" : holder.getState().name();
        synchronized (currentLeaks) {
            LeakRecord previous = currentLeaks.get(connection);
            Instant first = previous == null ? now : previous.firstDetected();
            if (previous == null) {
                leaks.increment();
            }
            currentLeaks.put(connection,
                    new LeakRecord(pool, Integer.toHexString(System.identityHashCode(connection)), holderName,
                            state, first, now, leakInterval.plus(Duration.between(first, now)), stack, Optional.empty()));
            leaksOut = true;
        }
    }

    private void leakReturned(Connection connection) {
        synchronized (currentLeaks) {
            LeakRecord leak = currentLeaks.remove(connection);
            if (leak != null) {
                Instant now = clock.instant();
                returnedLeaks
                        .addFirst(new LeakRecord(leak.pool(), leak.connection(), leak.holderThread(), leak.holderThreadState(),
                                leak.firstDetected(), leak.lastDetected(),
                                leakInterval.plus(Duration.between(leak.firstDetected(), now)),
                                leak.stack(), Optional.of(now)));
                while (returnedLeaks.size() > RETURNED_LEAKS_KEPT) {
                    returnedLeaks.removeLast();
                }
            }
            leaksOut = !currentLeaks.isEmpty();
        }
    }

    /** Connections currently reported as leaked, then the most recent leaked ones that came back. */
    public List<LeakRecord> leaks() {
        synchronized (currentLeaks) {
            List<LeakRecord> all = new ArrayList<>(currentLeaks.values());
            all.sort((a, b) -> a.firstDetected().compareTo(b.firstDetected()));
            all.addAll(returnedLeaks);
            return all;
        }
    }

    /** How many connections are reported as leaked right now. */
    public int currentLeakCount() {
        synchronized (currentLeaks) {
            return currentLeaks.size();
        }
    }

    // ---- reading (sampler) ----

    /** Totals since the pool was created; never reset, so Prometheus counters stay monotonic. */
    public PoolCounters counters() {
        long fail = failures.sum();
        long[] t = handOuts();
        return new PoolCounters(t[0] + fail, t[0], t[1], fail, timeouts.sum(), created.sum(), destroyed.sum(), invalid.sum(),
                reaped.sum(), flushed.sum(), creationFailures.sum(), leaks.sum());
    }

    /** Connections currently held by callers. */
    public long leased() {
        long[] t = handOuts();
        return Math.max(0, t[0] - t[1]);
    }

    /** Hand-outs and returns so far. Returns are read first, so a counted return always has its hand-out counted. */
    private long[] handOuts() {
        long stamp = closing.tryOptimisticRead();
        long[] counted = countHandOuts();
        if (!closing.validate(stamp)) {
            stamp = closing.readLock();
            try {
                counted = countHandOuts();
            } finally {
                closing.unlockRead(stamp);
            }
        }
        return counted;
    }

    private long[] countHandOuts() {
        long returned = closedReturned + otherReturned.sum();
        long acquired = closedAcquired + otherAcquired.sum();
        long liveReturned = 0;
        long liveAcquired = 0;
        for (ConnectionStats s : liveConnections) {
            liveReturned += s.returnedCount();
            liveAcquired += s.acquiredCount();
        }
        return new long[] { acquired + liveAcquired, returned + liveReturned };
    }

    /** Open connections not held by callers. */
    public long idle() {
        return Math.max(0, open() - leased());
    }

    /** Physical connections currently open. */
    public long open() {
        return Math.max(0, created.sum() - destroyed.sum());
    }

    /** Callers inside getConnection right now (waiting, or about to be served). */
    public long awaiting() {
        return waiting.get();
    }

    /** The most connections open at once since the last reset. */
    public long peakOpen() {
        return peakOpen.get();
    }

    /**
     * Checkout times recorded since the previous call; for the sampler, which alone takes intervals.
     *
     * @param acquisitions the connections handed out in the interval, timed or not: the exported histogram counts them all
     */
    public Distribution takeCheckoutInterval(long acquisitions) {
        return checkout.takeInterval(acquisitions);
    }

    /**
     * Lease times recorded since the previous call; for the sampler, which alone takes intervals.
     *
     * @param returns the connections returned in the interval, timed or not
     */
    public Distribution takeLeaseInterval(long returns) {
        return lease.takeInterval(returns);
    }

    /** Checkout times since the pool was created, for export; complete as of the last sample. */
    public DurationHistogram checkoutHistogram() {
        return checkout.exported();
    }

    /** Lease times since the pool was created, for export; complete as of the last sample. */
    public DurationHistogram leaseHistogram() {
        return lease.exported();
    }

    /** Times to open a physical connection since the pool was created (successful ones), for export. */
    public DurationHistogram creationHistogram() {
        return creation;
    }

    /** The mean time to check out a connection since the last reset, in milliseconds, as of the last sample; 0 for none. */
    public double checkoutMeanSinceReset() {
        return checkout.meanSinceReset();
    }

    /** The latest failure to open a connection and when, if any. */
    public Optional<String> lastCreationError() {
        return Optional.ofNullable(lastCreationError);
    }

    public Optional<Instant> lastCreationErrorAt() {
        return Optional.ofNullable(lastCreationErrorAt);
    }

    /**
     * Chooses how many acquisitions are timed from the rate just measured: all of them in a quiet pool (so a
     * handful of acquisitions still gives percentiles), about a thousand a second in a busy one ({@link TimingSample}).
     */
    public void adaptSampling(long acquisitions, Duration over) {
        double perSecond = acquisitions / Math.max(0.001, over.toMillis() / 1000.0);
        sampleMask = TimingSample.mask(perSecond);
    }

    /** Clears distributions, the peak and returned leaks (counters keep running; readers subtract a baseline). */
    public void resetDistributions() {
        checkout.reset();
        lease.reset();
        peakOpen.reset();
        peakOpen.accumulate(open());
        synchronized (currentLeaks) {
            returnedLeaks.clear();
        }
    }

    public String pool() {
        return pool;
    }
}
