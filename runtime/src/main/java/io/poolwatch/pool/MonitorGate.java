package io.poolwatch.pool;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSourceListener;

/**
 * Gives poolwatch's monitoring connection to one database priority over the workloads' connections to it, so a
 * server whose slots the workloads fill still has room for the connection that watches it.
 * <p>
 * The monitoring pool keeps its one connection (min-size 1, no idle removal, no max lifetime). Every physical
 * connection a workload pool of the same database opens passes {@link #beforeWorkloadConnection()} first, on the
 * pool's connection-creation path ({@link StatementTimingDriver}):
 * <ul>
 * <li>when the monitoring connection is <em>held</em> (open, and proven since anything suggested the server went
 * away), the gate costs two counter reads and the workload proceeds;</li>
 * <li>otherwise the workload first waits for one attempt of the monitoring pool to get its connection (a borrow that
 * validates it, or opens a new one), then proceeds whatever the outcome. Concurrent workload creations share one
 * attempt. So after a restart under load the monitoring connection is back before any workload takes a slot.</li>
 * <li>a workload connection that opened while the monitoring connection is still not held (its attempt failed an
 * instant before the server accepted connections) is handed to its pool only after one more attempt: the
 * monitoring connection is at most one round of workload connections late.</li>
 * </ul>
 * "Anything suggested the server went away" is a workload connection closed by its pool (broken, flushed, reaped) or a
 * workload connection that could not be opened for another reason than a full server: the monitoring connection may be
 * as dead as those, so it is validated before the next workload connection is opened.
 * <p>
 * The gate also keeps the latest {@link SlotRefusal} seen on either side, which tells a saturated server from a dead one.
 */
public final class MonitorGate {

    private static final Logger LOG = Logger.getLogger(MonitorGate.class);

    private final String database;
    private final Clock clock;
    private final AtomicLong events = new AtomicLong();
    private volatile long provenAt;
    private volatile long suspectAt;
    private volatile WorkloadPool monitor;
    private volatile Duration waitLimit = Duration.ofSeconds(10);
    private volatile SlotRefusal lastRefusal;
    private volatile SlotRefusal lastMonitorRefusal;
    private final AtomicLong priorityOpens = new AtomicLong();
    private CompletableFuture<Void> attempt;
    /** How long after a failed open new ones are spread out by the jitter. */
    static final Duration RECOVERY = Duration.ofSeconds(30);
    private volatile Semaphore opens;
    private volatile Duration jitter = Duration.ZERO;
    private volatile Duration openWait = Duration.ofSeconds(10);
    /** {@code System.nanoTime()} of the latest failed workload open; {@link #NEVER} before any. */
    private volatile long lastFailureNanos = NEVER;
    private static final long NEVER = Long.MIN_VALUE;
    private final AtomicInteger opening = new AtomicInteger();
    private final AtomicInteger mostOpening = new AtomicInteger();
    private final AtomicLong delayedOpens = new AtomicLong();

    public MonitorGate(String database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** The database label this gate is for. */
    public String database() {
        return database;
    }

    /** What the database said through the monitoring connection of whether it takes writes; empty before it said. */
    public Optional<RoleProbe.Reading> serverRole() {
        WorkloadPool m = monitor;
        return m == null ? Optional.empty() : m.roles().latest();
    }

    /** Binds the monitoring pool; workloads wait at most {@code waitLimit} for one of its attempts. */
    void attach(WorkloadPool monitorPool, Duration waitLimit) {
        this.monitor = monitorPool;
        this.waitLimit = waitLimit;
    }

    /** Whether the monitoring connection is open and nothing since it was proven suggests the server went away. */
    public boolean held() {
        WorkloadPool m = monitor;
        return m != null && m.recorder().open() > 0 && provenAt >= suspectAt;
    }

    /** How often a workload connection waited for the monitoring connection to be opened first. */
    public long priorityOpens() {
        return priorityOpens.get();
    }

    /** The latest refusal for lack of slots, of the monitoring connection or a workload's, if any. */
    public Optional<SlotRefusal> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    /** The latest refusal of the monitoring connection for lack of slots, if any. */
    public Optional<SlotRefusal> lastMonitorRefusal() {
        return Optional.ofNullable(lastMonitorRefusal);
    }

    /**
     * Spreads out the workloads' connections to this database ({@code poolwatch.reconnect.*}).
     *
     * @param maxConcurrentOpens most workload connections opened at once; 0: no cap
     * @param jitter the longest random wait before an open while the database recovers from a failed open
     * @param openWait the longest wait for a turn under the cap, after which a connection opens all the same
     */
    void spread(int maxConcurrentOpens, Duration jitter, Duration openWait) {
        this.opens = maxConcurrentOpens > 0 ? new Semaphore(maxConcurrentOpens, true) : null;
        this.jitter = jitter;
        this.openWait = openWait;
    }

    /**
     * Called before a workload opens a physical connection: waits a random time while the database recovers, then for
     * a turn under the cap. The answer says whether a turn was taken, for {@link #workloadOpenEnded(boolean)}.
     */
    boolean workloadOpenStarts() {
        long failed = lastFailureNanos;
        if (failed != NEVER && !jitter.isZero() && System.nanoTime() - failed < RECOVERY.toNanos()) {
            delayedOpens.incrementAndGet();
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean turn = false;
        Semaphore cap = opens;
        if (cap != null) {
            try {
                turn = cap.tryAcquire(openWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int now = opening.incrementAndGet();
        mostOpening.accumulateAndGet(now, Math::max);
        beforeWorkloadConnection();
        return turn;
    }

    /** Called when a workload's open ended, opened or not. */
    void workloadOpenEnded(boolean turn) {
        opening.decrementAndGet();
        Semaphore cap = opens;
        if (turn && cap != null) {
            cap.release();
        }
    }

    /** The most workload connections to this database that were being opened at once. */
    public int mostConcurrentOpens() {
        return mostOpening.get();
    }

    /** How many workload opens waited a random time because the database was recovering. */
    public long delayedOpens() {
        return delayedOpens.get();
    }

    /** Called before a workload opens a physical connection to this database: lets the monitoring pool go first. */
    void beforeWorkloadConnection() {
        if (held() || monitor == null) {
            return;
        }
        CompletableFuture<Void> mine = null;
        CompletableFuture<Void> joined;
        synchronized (this) {
            if (held()) {
                return;
            }
            if (attempt == null) {
                attempt = new CompletableFuture<>();
                mine = attempt;
            }
            joined = attempt;
        }
        if (mine != null) {
            try {
                reopenMonitor();
            } finally {
                synchronized (this) {
                    attempt = null;
                }
                mine.complete(null);
            }
            return;
        }
        try {
            joined.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The workload goes ahead: priority must never keep it from its database for longer than one attempt.
        }
    }

    /**
     * Called when a workload opened a physical connection: if the monitoring connection is still not held (its attempt
     * failed while the server was starting, and the server accepted the workload a moment later), it goes next.
     */
    void afterWorkloadConnection() {
        beforeWorkloadConnection();
    }

    private void reopenMonitor() {
        priorityOpens.incrementAndGet();
        // The monitoring pool validates on borrow: a dead connection is replaced, a live one proven, none opened.
        try (Connection c = monitor.dataSource().getConnection()) {
            proven();
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("monitoring connection to %s not opened ahead of a workload's: %s", database, e.getMessage());
        }
    }

    /** A physical connection of the monitoring pool was opened. */
    void monitorConnected() {
        proven();
        lastMonitorRefusal = null;
    }

    private void proven() {
        provenAt = events.incrementAndGet();
    }

    private void suspect() {
        suspectAt = events.incrementAndGet();
    }

    /**
     * A physical connection could not be opened: a refusal for lack of slots is kept; any other failure makes the monitor
     * suspect.
     */
    void connectionFailed(String refused, boolean isMonitor, SQLException e) {
        Optional<SlotRefusal> refusal = SlotRefusal.of(e, refused, clock.instant());
        if (refusal.isPresent()) {
            lastRefusal = refusal.get();
            if (isMonitor) {
                lastMonitorRefusal = refusal.get();
            }
        } else if (!isMonitor) {
            suspect();
            lastFailureNanos = System.nanoTime();
        }
    }

    /** The listener that tells the gate when a workload's connection is closed by its pool. */
    AgroalDataSourceListener workloadListener() {
        return new AgroalDataSourceListener() {
            @Override
            public void onConnectionDestroy(Connection connection) {
                suspect();
            }
        };
    }
}
