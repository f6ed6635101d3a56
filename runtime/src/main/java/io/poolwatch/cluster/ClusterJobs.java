package io.poolwatch.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.poolwatch.config.Durations;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.store.Database;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbc.JdbcLockProvider;
import net.javacrumbs.shedlock.support.Utils;

/**
 * Which of several poolwatch processes sharing one database runs the cluster's jobs: consistency checks, notification
 * of alerts about databases, replicas and checks, and outbox delivery. The process holding the ShedLock lock
 * {@value #JOBS_LOCK} (table {@code poolwatch.shedlock} beside the outbox) runs them and renews the lock every quarter
 * of {@code poolwatch.cluster.lock-at-most-for}; the others try as often, so a holder that dies is replaced within
 * lock-at-most-for and a quarter. Each check run also takes a lock of its own that outlasts the run until just
 * before the check's next run, so a check runs once per interval even across a change of holder.
 * <p>
 * With the local outbox file (one process) nothing is coordinated and every job runs here. Nothing on a connection's
 * acquire or return path touches a lock: jobs ask {@link #leads()}, a field read.
 */
@Startup
@ApplicationScoped
public class ClusterJobs {

    private static final Logger LOG = Logger.getLogger(ClusterJobs.class);
    static final String PREFIX = "poolwatch.cluster.";
    /** The lock whose holder runs the cluster's jobs. */
    public static final String JOBS_LOCK = "poolwatch-cluster-jobs";
    static final Duration MIN_LOCK = Duration.ofSeconds(2);
    static final Duration MAX_LOCK = Duration.ofHours(1);
    /** ShedLock's column for lock names is 64 characters. */
    static final int MAX_NAME = 64;

    /**
     * What this process knows of the coordination, for the API and the dashboard.
     *
     * @param coordinated whether processes coordinate through the lock table
     * @param runsClusterJobs whether this process runs the cluster's jobs now (always, when not coordinated)
     * @param lockedBy how this process is named in the lock table (ShedLock writes the host name)
     * @param lockTable where the locks are kept, when coordinated
     * @param lockAtMostFor how long a holder that stops renewing keeps the jobs
     * @param since when this process last took the jobs over
     */
    public record Status(boolean coordinated, boolean runsClusterJobs, String lockedBy, String lockTable,
            Duration lockAtMostFor,
            Instant since) {
    }

    private final PoolRegistry registry;
    private final boolean coordinated;
    private final String workload;
    private final Duration lockAtMostFor;
    private final Duration period;
    private final String hostName;
    private volatile LockProvider locks;
    private volatile String lockTable;
    private final BackgroundWork work;
    /** Lock renewals, the jobs' lock taking and releasing: one at a time, off the callers' threads. */
    private BackgroundWork.Lane lane;
    private BackgroundWork.Periodic renewals;
    private volatile SimpleLock held;
    private volatile long validUntilNanos;
    private volatile Instant since;
    private volatile boolean failing;

    ClusterJobs(PoolwatchConfig config, PoolRegistry registry, BackgroundWork work) {
        this.work = work;
        this.registry = registry;
        PoolwatchConfig.ClusterConfig c = config.cluster();
        Optional<String> outboxWorkload = config.alerting().outbox().workload();
        List<String> problems = problems(c, outboxWorkload);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        // An unknown outbox workload is reported by the outbox's own validation.
        boolean known = outboxWorkload.flatMap(w -> registry.configuration().pool(w)).isPresent();
        this.coordinated = c.enabled().orElse(true) && known;
        this.workload = outboxWorkload.orElse(null);
        this.lockAtMostFor = c.lockAtMostFor();
        this.period = lockAtMostFor.dividedBy(4);
        // What ShedLock writes to locked_by; looked up only when coordinating (a DNS lookup on some hosts).
        this.hostName = coordinated ? Utils.getHostname() : null;
    }

    /** The cluster settings' problems, each with its key, value and what is accepted. */
    static List<String> problems(PoolwatchConfig.ClusterConfig c, Optional<String> outboxWorkload) {
        List<String> problems = new ArrayList<>();
        if (c.lockAtMostFor().compareTo(MIN_LOCK) < 0 || c.lockAtMostFor().compareTo(MAX_LOCK) > 0) {
            problems.add(PREFIX + "lock-at-most-for=" + Durations.format(c.lockAtMostFor()) + ": accepted: "
                    + Durations.format(MIN_LOCK)
                    + " to " + Durations.format(MAX_LOCK));
        }
        if (c.enabled().orElse(false) && outboxWorkload.isEmpty()) {
            problems.add(PREFIX
                    + "enabled=true: the locks are kept with the outbox, and the outbox is a local file only one process "
                    + "can open; accepted: false, or set poolwatch.alerting.outbox.workload to a workload every replica shares");
        }
        return problems;
    }

    void onStart(@Observes StartupEvent event) {
        if (!coordinated) {
            return;
        }
        lane = work.lane("cluster", 1);
        renewals = work.every("cluster lock renewal", Duration.ZERO, period, lane, this::renew);
        LOG.infof(
                "cluster jobs (checks, notification of database, replica and check alerts, outbox delivery) run in one process "
                        + "at a time, the holder of lock %s in workload %s; a holder that stops is replaced within %s",
                JOBS_LOCK, workload,
                Durations.format(lockAtMostFor.plus(period)));
    }

    /**
     * The {@code instance} label of the alerts only the holder sends (about a database server, a replica or a check),
     * when coordinated: the same in every replica ({@code poolwatch@<the outbox database>}), so that after a takeover the
     * new holder's alerts are the old holder's alerts (same labels, same fingerprint) and their resolution reaches
     * the receivers. Empty when not coordinated: a lone process labels every alert with its own instance.
     */
    public Optional<String> alertInstance() {
        return coordinated
                ? Optional.of("poolwatch@" + registry.configuration().pool(workload).map(p -> p.url().label()).orElse(workload))
                : Optional.empty();
    }

    /** Whether processes coordinate through the lock table. */
    public boolean coordinated() {
        return coordinated;
    }

    /** Whether this process runs the cluster's jobs now; always true when not coordinated. Never touches the database. */
    public boolean leads() {
        return !coordinated || (held != null && System.nanoTime() - validUntilNanos < 0);
    }

    public Status status() {
        boolean leads = leads();
        return new Status(coordinated, leads, hostName, lockTable, coordinated ? lockAtMostFor : null,
                leads && coordinated ? since : null);
    }

    private LockProvider provider() {
        LockProvider p = locks;
        if (p == null) {
            DatabaseKind kind = registry.pool(workload).settings().url().kind();
            // The lock table comes with poolwatch's other tables (the outbox's migrations); idempotent, and safe while other
            // processes run them.
            Database database = Database.on(registry.dataSource(workload), kind, "workload " + workload);
            database.migrate();
            lockTable = database.table("shedlock");
            p = new JdbcLockProvider(registry.dataSource(workload), lockTable);
            locks = p;
        }
        return p;
    }

    /** Takes the jobs' lock, or renews it when held; on the cluster thread only. */
    private void renew() {
        long start = System.nanoTime();
        try {
            LockProvider p = provider();
            SimpleLock current = held;
            if (current != null) {
                Optional<SimpleLock> extended = current.extend(lockAtMostFor, Duration.ZERO);
                if (extended.isPresent()) {
                    held = extended.get();
                    validUntilNanos = start + lockAtMostFor.minus(period).toNanos();
                } else {
                    lost("its lock expired and was taken, or was released");
                }
            } else {
                Optional<SimpleLock> taken = p
                        .lock(new LockConfiguration(Instant.now(), JOBS_LOCK, lockAtMostFor, Duration.ZERO));
                if (taken.isPresent()) {
                    validUntilNanos = start + lockAtMostFor.minus(period).toNanos();
                    held = taken.get();
                    since = Instant.now();
                    LOG.infof("this process (%s) now runs the cluster's jobs", hostName);
                }
            }
            if (failing) {
                failing = false;
                LOG.infof("the lock table in workload %s answers again", workload);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warnf("the lock table in workload %s cannot be used: %s (this process %s)", workload, e.getMessage(),
                        held != null ? "keeps the cluster's jobs until its lock would expire"
                                : "does not take the cluster's jobs");
            }
        }
        if (held != null && System.nanoTime() - validUntilNanos >= 0) {
            lost("its lock could not be renewed in time");
        }
    }

    private void lost(String why) {
        held = null;
        since = null;
        LOG.warnf("this process (%s) no longer runs the cluster's jobs: %s", hostName, why);
    }

    /**
     * Runs {@code work} once across the cluster: only here while this process {@link #leads() leads}, and only if lock
     * {@code name} is free; the lock is held until the work's future completes and for at least {@code atLeast}
     * from now, so that no process runs the same job again sooner. When not coordinated the work simply runs.
     *
     * @param atMost how long the lock outlives a process that dies running the work; at least {@code atLeast}
     */
    public void runOnce(String name, Duration atLeast, Duration atMost, Supplier<CompletableFuture<?>> work) {
        if (!coordinated) {
            work.get();
            return;
        }
        String lockName = lockName(name);
        Duration most = atMost.compareTo(atLeast) < 0 ? atLeast : atMost;
        try {
            lane.execute("job " + name, () -> {
                if (!leads()) {
                    return;
                }
                Optional<SimpleLock> lock;
                try {
                    lock = provider().lock(new LockConfiguration(Instant.now(), lockName, most, atLeast));
                } catch (RuntimeException e) {
                    LOG.warnf("%s not run: its lock could not be taken: %s", name, e.getMessage());
                    return;
                }
                if (lock.isEmpty()) {
                    LOG.debugf("%s not run: it ran in this interval already", name);
                    return;
                }
                CompletableFuture<?> running;
                try {
                    running = work.get();
                } catch (RuntimeException e) {
                    release(lock.get());
                    throw e;
                }
                running.whenComplete((r, e) -> {
                    try {
                        lane.execute("lock release " + name, () -> release(lock.get()));
                    } catch (RejectedExecutionException stopping) {
                        release(lock.get());
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /** {@code check:ledger}; names too long for ShedLock's column keep their start and a hash. */
    static String lockName(String name) {
        if (name.length() <= MAX_NAME) {
            return name;
        }
        String hash = Integer.toHexString(name.hashCode());
        return name.substring(0, MAX_NAME - hash.length() - 1) + "~" + hash;
    }

    private static void release(SimpleLock lock) {
        try {
            lock.unlock();
        } catch (RuntimeException e) {
            // It expires by itself at its lock-at-least or lock-at-most time.
            LOG.debugf("releasing a cluster lock failed: %s", e.getMessage());
        }
    }

    /** After the checks (900) and before the pools close: hands the jobs over at once instead of after lock-at-most-for. */
    void onStop(@Observes @Priority(950) ShutdownEvent event) {
        if (lane == null) {
            return;
        }
        renewals.cancel();
        lane.stopAndWait(Duration.ofSeconds(2));
        SimpleLock h = held;
        if (h != null) {
            held = null;
            release(h);
            LOG.infof("this process (%s) released the cluster's jobs", hostName);
        }
    }
}
