package io.poolwatch.pool;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.proxy.ProxyConfig;

/**
 * Times every statement run through one pool (datasource-proxy calls it around each execution) and keeps the
 * slow ones: a count, and per statement text (values stripped) how often and how long.
 */
public final class StatementRecorder implements QueryExecutionListener {

    private static final Logger ECHO = Logger.getLogger("io.poolwatch.sql");
    /** Distinct slow statement texts kept; the least recently slow one makes room. */
    private static final int SLOW_TEXTS_KEPT = 50;

    private final String pool;
    private final long slowNanos;
    private final boolean echo;
    private final Clock clock;
    private final ProxyConfig proxyConfig;

    /**
     * Every statement's time, for export as a histogram; also the statement count and total time (one bucket increment
     * and one sum per statement, where separate counters would add two more).
     */
    private final DurationHistogram durations = new DurationHistogram();
    private final LongAdder slow = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private volatile long lastCompletedNanos;
    private volatile boolean anyCompleted;
    private final ThreadLocal<long[]> started = ThreadLocal.withInitial(() -> new long[1]);
    private final Map<String, SlowStatement> slowTexts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SlowStatement> eldest) {
            return size() > SLOW_TEXTS_KEPT;
        }
    };

    public StatementRecorder(String pool, Duration slowThreshold, boolean echo, Clock clock) {
        this.pool = pool;
        this.slowNanos = slowThreshold.toNanos();
        this.echo = echo;
        this.clock = clock;
        this.proxyConfig = ProxyConfig.Builder.create().dataSourceName(pool).queryListener(this).retrieveIsolationLevel(false).build();
    }

    /** The datasource-proxy configuration that routes a connection's statements here. */
    public ProxyConfig proxyConfig() {
        return proxyConfig;
    }

    @Override
    public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        started.get()[0] = System.nanoTime();
    }

    @Override
    public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        long start = started.get()[0];
        long elapsed = System.nanoTime() - start;
        durations.record(elapsed);
        if (execInfo.isSuccess()) {
            completed.increment();
            lastCompletedNanos = start + elapsed;
            if (!anyCompleted) {
                anyCompleted = true;
            }
        }
        if (echo) {
            ECHO.infof("pool %s: %.3f ms: %s", pool, elapsed / 1e6, text(queryInfoList));
        }
        if (elapsed >= slowNanos) {
            recordSlow(text(queryInfoList), elapsed / 1e6);
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

    private static String text(List<QueryInfo> queries) {
        if (queries.isEmpty()) {
            return "";
        }
        if (queries.size() == 1) {
            return SqlText.normalize(queries.get(0).getQuery());
        }
        return SqlText.normalize(queries.get(0).getQuery()) + " (batch of " + queries.size() + ")";
    }

    /** Statement times since the pool was created, for export. */
    public DurationHistogram durations() {
        return durations;
    }

    /** Statements run since the pool was created. */
    public long statements() {
        return durations.count();
    }

    /** Statements that the database answered without an error since the pool was created: proof that it answers. */
    public long completedStatements() {
        return completed.sum();
    }

    /** How long ago (as of {@code nowNanos}, a {@link System#nanoTime()}) a statement last completed; empty if none has. */
    public java.util.Optional<Duration> sinceLastCompleted(long nowNanos) {
        return anyCompleted ? java.util.Optional.of(Duration.ofNanos(Math.max(0, nowNanos - lastCompletedNanos))) : java.util.Optional.empty();
    }

    /** Total time spent in statements since the pool was created, in nanoseconds. */
    public long totalNanos() {
        return durations.recordedNanos();
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
}
