package io.poolwatch.sampling;

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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import io.agroal.api.AgroalDataSourceListener;

/**
 * Records what one pool does, from Agroal's listener events. The hot path (acquire, return) only increments
 * {@link LongAdder}s; checkout and lease times are timed for a sample of acquisitions chosen per thread and
 * recorded into wait-free histograms. Everything derived (gauges, rates, percentiles) is computed by the sampler.
 */
public final class PoolRecorder implements AgroalDataSourceListener {

    /** Leaked connections returned later, kept for display. */
    private static final int RETURNED_LEAKS_KEPT = 20;
    private static final int STACK_FRAMES_KEPT = 40;

    private final String pool;
    private final Duration leakInterval;
    private final Clock clock;

    private final LongAdder attempts = new LongAdder();
    private final LongAdder acquired = new LongAdder();
    private final LongAdder returned = new LongAdder();
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
    /** Acquisitions are timed when (random & mask) == 0; the sampler widens the mask for busy pools. */
    private volatile int sampleMask;
    private final ThreadLocal<Sample> samples = ThreadLocal.withInitial(Sample::new);

    private final Map<Connection, LeakRecord> currentLeaks = new IdentityHashMap<>();
    private final Deque<LeakRecord> returnedLeaks = new ArrayDeque<>();
    /** Read on every return; written only when a leak is reported or comes back. */
    private volatile boolean leaksOut;
    private final ThreadLocal<Boolean> creating = new ThreadLocal<>();
    private volatile String lastCreationError;
    private volatile Instant lastCreationErrorAt;

    /** Leases timed at once per thread; a thread holding more has its oldest timed lease dropped. */
    private static final int LEASE_SLOTS = 4;

    /** Per-thread timing of one sampled acquisition and of the leases it led to. */
    private static final class Sample {
        long acquireStart;
        final Connection[] leased = new Connection[LEASE_SLOTS];
        final long[] leasedAt = new long[LEASE_SLOTS];
        int nextSlot;
    }

    public PoolRecorder(String pool, Duration leakInterval, Clock clock) {
        this.pool = pool;
        this.leakInterval = leakInterval;
        this.clock = clock;
    }

    // ---- hot path ----

    @Override
    public void beforeConnectionAcquire() {
        attempts.increment();
        int mask = sampleMask;
        if (mask == 0 || (ThreadLocalRandom.current().nextInt() & mask) == 0) {
            samples.get().acquireStart = System.nanoTime();
        }
    }

    @Override
    public void onConnectionAcquire(Connection connection) {
        acquired.increment();
        Sample s = samples.get();
        if (s.acquireStart != 0) {
            long now = System.nanoTime();
            checkout.record(now - s.acquireStart);
            s.acquireStart = 0;
            int slot = s.nextSlot;
            s.leased[slot] = connection;
            s.leasedAt[slot] = now;
            s.nextSlot = (slot + 1) % LEASE_SLOTS;
        }
    }

    @Override
    public void onConnectionReturn(Connection connection) {
        returned.increment();
        Sample s = samples.get();
        for (int i = 0; i < LEASE_SLOTS; i++) {
            if (s.leased[i] == connection) {
                lease.record(System.nanoTime() - s.leasedAt[i]);
                s.leased[i] = null;
                break;
            }
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
        samples.get().acquireStart = 0;
    }

    // ---- connection life cycle (housekeeping threads) ----

    @Override
    public void beforeConnectionCreation() {
        creating.set(Boolean.TRUE);
    }

    @Override
    public void onConnectionCreation(Connection connection) {
        creating.remove();
        created.increment();
        peakOpen.accumulate(created.sum() - destroyed.sum());
    }

    @Override
    public void onConnectionDestroy(Connection connection) {
        destroyed.increment();
        if (leaksOut) {
            leakReturned(connection);
        }
    }

    @Override
    public void onConnectionInvalid(Connection connection) {
        invalid.increment();
    }

    @Override
    public void onConnectionReap(Connection connection) {
        reaped.increment();
    }

    @Override
    public void onConnectionFlush(Connection connection) {
        flushed.increment();
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
            currentLeaks.put(connection, new LeakRecord(pool, Integer.toHexString(System.identityHashCode(connection)), holderName,
                    state, first, now, leakInterval.plus(Duration.between(first, now)), stack, Optional.empty()));
            leaksOut = true;
        }
    }

    private void leakReturned(Connection connection) {
        synchronized (currentLeaks) {
            LeakRecord leak = currentLeaks.remove(connection);
            if (leak != null) {
                Instant now = clock.instant();
                returnedLeaks.addFirst(new LeakRecord(leak.pool(), leak.connection(), leak.holderThread(), leak.holderThreadState(),
                        leak.firstDetected(), leak.lastDetected(), leakInterval.plus(Duration.between(leak.firstDetected(), now)),
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
        // Returns before acquisitions: a lease counted as returned is always counted as acquired.
        long ret = returned.sum();
        long fail = failures.sum();
        long acq = acquired.sum();
        return new PoolCounters(attempts.sum(), acq, ret, fail, timeouts.sum(), created.sum(), destroyed.sum(), invalid.sum(),
                reaped.sum(), flushed.sum(), creationFailures.sum(), leaks.sum());
    }

    /** Connections currently held by callers. */
    public long leased() {
        return Math.max(0, acquired.sum() - returned.sum());
    }

    /** Physical connections currently open. */
    public long open() {
        return Math.max(0, created.sum() - destroyed.sum());
    }

    /** Callers inside getConnection right now (waiting, or about to be served). */
    public long awaiting() {
        return Math.max(0, attempts.sum() - acquired.sum() - failures.sum());
    }

    /** The most connections open at once since the last reset. */
    public long peakOpen() {
        return peakOpen.get();
    }

    /** Checkout times recorded since the previous call. */
    Distribution takeCheckoutInterval() {
        return checkout.takeInterval();
    }

    /** Lease times recorded since the previous call. */
    Distribution takeLeaseInterval() {
        return lease.takeInterval();
    }

    /** Checkout times since the last reset. */
    public Distribution checkoutSinceReset() {
        return checkout.cumulative();
    }

    /** Lease times since the last reset. */
    public Distribution leaseSinceReset() {
        return lease.cumulative();
    }

    /** The latest failure to open a connection and when, if any. */
    public Optional<String> lastCreationError() {
        return Optional.ofNullable(lastCreationError);
    }

    public Optional<Instant> lastCreationErrorAt() {
        return Optional.ofNullable(lastCreationErrorAt);
    }

    /** Times every acquisition when {@code mask} is 0, about one in mask+1 otherwise (mask = 2^n - 1). */
    void sampleMask(int mask) {
        this.sampleMask = mask;
    }

    int sampleMask() {
        return sampleMask;
    }

    /** Clears distributions, the peak and returned leaks (counters keep running; readers subtract a baseline). */
    void resetDistributions() {
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
