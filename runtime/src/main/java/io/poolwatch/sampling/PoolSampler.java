package io.poolwatch.sampling;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.Distribution;
import io.poolwatch.pool.PoolCounters;
import io.poolwatch.pool.PoolRecorder;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.StatementRecorder;
import io.poolwatch.pool.UnknownWorkloadException;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.StartupEvent;

/**
 * Takes a snapshot of every pool on a schedule and keeps a bounded history of them. Everything derived from the
 * recorders' counters — gauges, interval deltas, the error rate, percentiles — is computed here, off the hot path.
 */
@ApplicationScoped
public class PoolSampler {

    private final PoolRegistry registry;
    private final Trends trends;
    private final Duration interval;
    private final Duration errorRateWindow;
    private final int historyCapacity;
    private final Clock clock = Clock.systemUTC();

    private final Map<String, PoolHistory> histories = new ConcurrentHashMap<>();
    private final Map<String, PoolCounters> previousTotals = new ConcurrentHashMap<>();
    private final Map<String, long[]> previousStatements = new ConcurrentHashMap<>();
    private final Map<String, Baseline> baselines = new ConcurrentHashMap<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    /** CPU time of the sampling runs so far, and how many pool snapshots they took; written under the lock. */
    private volatile long cpuNanos;
    private volatile long snapshots;

    /** Figures at the last reset, subtracted from the totals the API shows. */
    public record Baseline(PoolCounters counters, long statements, long statementNanos, long slowStatements, Instant at) {
    }

    PoolSampler(PoolRegistry registry, PoolwatchConfig config, Trends trends) {
        this.registry = registry;
        this.trends = trends;
        this.interval = config.sampling().interval();
        this.errorRateWindow = config.sampling().errorRateWindow();
        long capacity = Math.max(1, config.sampling().history().toMillis() / Math.max(1, interval.toMillis()));
        this.historyCapacity = (int) Math.min(capacity, 100_000);
    }

    /** Samples every {@code poolwatch.sampling.interval} from start-up on, in a lane of its own. */
    void schedule(@Observes StartupEvent event, BackgroundWork work, PoolwatchConfig config) {
        work.everyInOwnLane("pool-sampler", "pool sampling", config.sampling().interval(),
                () -> registry.configuration().monitoring().enabled(), this::sampleNow);
    }

    /** Takes a snapshot of every pool now. */
    public synchronized void sampleNow() {
        long cpuBefore = threadCpuNanos();
        Instant now = clock.instant();
        int taken = 0;
        for (WorkloadPool pool : registry.pools()) {
            PoolHistory history = histories.computeIfAbsent(pool.name(), n -> new PoolHistory(historyCapacity));
            Optional<PoolSnapshot> previous = history.latest();
            PoolSnapshot snapshot = snapshot(pool, now);
            history.add(snapshot);
            recordTrends(snapshot, previous);
            taken++;
        }
        long cpuAfter = threadCpuNanos();
        if (cpuBefore >= 0 && cpuAfter >= 0) {
            cpuNanos += cpuAfter - cpuBefore;
        }
        snapshots += taken;
    }

    /** The sampling thread's CPU time in nanoseconds, or -1 where the JVM does not measure it. */
    private long threadCpuNanos() {
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    }

    /** The CPU time all sampling runs have taken so far (the thread's own, JVM-measured), in seconds: poolwatch's own cost. */
    public double cpuSeconds() {
        return cpuNanos / 1e9;
    }

    /** How many pool snapshots the runs have taken in all (a run takes one per pool). */
    public long snapshots() {
        return snapshots;
    }

    /**
     * Feeds a snapshot's figures to the 24-hour trends ({@link Trends#FIGURES} of {@link Trends#POOL}). Checkout and lease
     * times are the sample's p95 in seconds, and none when nothing was checked out (no wait is not a zero wait); slow
     * queries are those completed since the previous sample.
     */
    private void recordTrends(PoolSnapshot s, Optional<PoolSnapshot> previous) {
        String pool = s.pool();
        Instant at = s.takenAt();
        trends.record(Trends.POOL, pool, "checkout_time", at, s.checkout() == null || s.checkout().count() == 0 ? Double.NaN
                : s.checkout().p95() / 1000);
        trends.record(Trends.POOL, pool, "lease_time", at,
                s.lease() == null || s.lease().count() == 0 ? Double.NaN : s.lease().p95() / 1000);
        trends.record(Trends.POOL, pool, "utilization", at, s.utilization());
        trends.record(Trends.POOL, pool, "active", at, s.active());
        trends.record(Trends.POOL, pool, "idle", at, s.idle());
        trends.record(Trends.POOL, pool, "awaiting", at, s.awaiting());
        trends.record(Trends.POOL, pool, "error_rate", at, s.errorRate());
        trends.record(Trends.POOL, pool, "slow_queries", at,
                previous.map(p -> (double) Math.max(0, s.slowStatements() - p.slowStatements())).orElse(Double.NaN));
    }

    private PoolSnapshot snapshot(WorkloadPool pool, Instant now) {
        PoolRecorder r = pool.recorder();
        PoolCounters previousTotal = previousTotals.getOrDefault(pool.name(), PoolCounters.ZERO);
        PoolCounters totals = shared(r.counters(), previousTotal);
        PoolCounters delta = shared(totals.minus(previousTotal), PoolCounters.ZERO);
        previousTotals.put(pool.name(), totals);

        long active = r.leased();
        long open = r.open();
        int max = pool.maxSize();
        Distribution checkout = shared(r.takeCheckoutInterval(delta.acquired()), Distribution.EMPTY);
        Distribution lease = shared(r.takeLeaseInterval(delta.returned()), Distribution.EMPTY);

        StatementRecorder st = pool.statements();
        st.takeInterval(interval);
        long statements = st.statements();
        long statementNanos = st.totalNanos();
        long[] prior = previousStatements.computeIfAbsent(pool.name(), n -> new long[2]);
        long intervalStatements = statements - prior[0];
        double intervalStatementMs = intervalStatements == 0 ? 0 : (statementNanos - prior[1]) / 1e6 / intervalStatements;
        // Only the sampler (synchronized) reads and writes these two figures.
        prior[0] = statements;
        prior[1] = statementNanos;

        r.adaptSampling(delta.acquired(), interval);
        return new PoolSnapshot(pool.name(), pool.settings().workload(), pool.settings().role(), now, pool.settings().minSize(),
                max, active,
                Math.max(0, open - active), open, r.awaiting(), r.peakOpen(), max == 0 ? 0 : (double) active / max, totals,
                delta,
                errorRate(pool.name(), delta, now), checkout, lease, r.currentLeakCount(), statements, st.slowStatements(),
                intervalStatementMs);
    }

    /**
     * Failed acquisitions / attempts over the window, this interval included. Snapshots are added in time order, so the
     * window is the newest few of the history, read without copying it.
     */
    private double errorRate(String pool, PoolCounters current, Instant now) {
        long attempts = current.attempts();
        long failures = current.failures();
        PoolHistory history = histories.get(pool);
        if (history != null) {
            long[] window = history.attemptsAndFailuresAfter(now.minus(errorRateWindow));
            attempts += window[0];
            failures += window[1];
        }
        return attempts == 0 ? 0 : (double) failures / attempts;
    }

    /**
     * {@code candidate}'s value as {@code same} when they are equal: an idle pool's snapshots then share one counts
     * object and the empty distribution, so an hour's history of it costs the snapshots alone (PERFORMANCE.md, "Scale
     * curve: 4 to 400 pools").
     */
    static <T> T shared(T candidate, T same) {
        return candidate.equals(same) ? same : candidate;
    }

    /** The newest snapshot of a pool, if one was taken. */
    public Optional<PoolSnapshot> latest(String pool) {
        requireKnown(pool);
        PoolHistory h = histories.get(pool);
        return h == null ? Optional.empty() : h.latest();
    }

    /** A pool's snapshots, oldest first. */
    public List<PoolSnapshot> history(String pool) {
        requireKnown(pool);
        PoolHistory h = histories.get(pool);
        return h == null ? List.of() : h.snapshots();
    }

    /** A pool's snapshots as the overview's cards draw them, oldest first ({@link PoolHistory#points()}). */
    public List<PoolPoint> points(String pool) {
        requireKnown(pool);
        PoolHistory h = histories.get(pool);
        return h == null ? List.of() : h.points();
    }

    /** A pool's newest {@code n} snapshots (fewer if it has fewer), oldest first; only those are decoded. */
    public List<PoolSnapshot> newest(String pool, int n) {
        requireKnown(pool);
        PoolHistory h = histories.get(pool);
        return h == null ? List.of() : h.newest(n);
    }

    /**
     * A pool's snapshots taken within {@code within} of its newest, oldest first: for readers of the last minute or two,
     * which need not decode the whole history.
     */
    public List<PoolSnapshot> history(String pool, Duration within) {
        requireKnown(pool);
        PoolHistory h = histories.get(pool);
        return h == null ? List.of() : h.latest().map(n -> h.since(n.takenAt().minus(within))).orElse(List.of());
    }

    /** A pool's snapshots taken after {@code from}, oldest first: what came since a reader last looked. */
    public List<PoolSnapshot> since(String pool, Instant from) {
        requireKnown(pool);
        PoolHistory h = histories.get(pool);
        return h == null ? List.of() : h.since(from).stream().filter(s -> s.takenAt().isAfter(from)).toList();
    }

    /** The figures at a pool's last reset, or zero. */
    public Baseline baseline(String pool) {
        return baselines.getOrDefault(pool, new Baseline(PoolCounters.ZERO, 0, 0, 0, null));
    }

    /**
     * Resets a pool's accumulated figures as the API shows them: counts start again from zero, distributions,
     * the peak, slow statement texts and returned leaks are cleared. Prometheus counters keep counting (they
     * must only go up); current leaks stay, as the connections are still out.
     */
    public synchronized void reset(String pool) {
        WorkloadPool p = registry.pool(pool);
        StatementRecorder st = p.statements();
        baselines.put(pool,
                new Baseline(p.recorder().counters(), st.statements(), st.totalNanos(), st.slowStatements(), clock.instant()));
        p.recorder().resetDistributions();
        st.resetSlowTexts();
    }

    private void requireKnown(String pool) {
        if (!registry.names().contains(pool)) {
            throw new UnknownWorkloadException(pool, registry.names());
        }
    }
}
