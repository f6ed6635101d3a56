package io.poolwatch.health;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.poolwatch.config.Durations;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.SlotRefusal;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.StartupEvent;

/**
 * Validates every database in the background so no probe ever waits on one. Each database is checked on its own
 * thread through poolwatch's monitoring connection (never a workload's), and a check that has not answered within the
 * timeout counts as a failure at once while the thread keeps waiting for it. Probes read the cached result.
 * <p>
 * A validation refused for lack of slots (PostgreSQL 53300, MariaDB 1040) is recorded as such
 * ({@link DatabaseValidation#saturation()}): the server answered. Beside the validations, the validator keeps what the
 * workloads prove ({@link #evidence(String)}): the statements their pools on each database completed, counted on each
 * tick over the {@link #evidenceWindow()}.
 */
@ApplicationScoped
public class DatabaseValidator {

    private static final Logger LOG = Logger.getLogger(DatabaseValidator.class);

    private final PoolRegistry registry;
    private final Duration interval;
    private final Duration timeout;
    private final Map<String, DatabaseValidation> results = new ConcurrentHashMap<>();
    private final Map<String, Future<?>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Instant> inFlightSince = new ConcurrentHashMap<>();
    private final BackgroundWork work;
    private final Map<String, BackgroundWork.Lane> workers = new ConcurrentHashMap<>();
    private BackgroundWork.Periodic ticker;
    private volatile Instant lastTick = Instant.now();
    /** {@link #lastTick} on the monotonic clock, which liveness reads without allocating. */
    private volatile long lastTickNanos = System.nanoTime();
    private final Duration evidenceWindow;
    private final Map<String, ArrayDeque<long[]>> completions = new ConcurrentHashMap<>();
    private final Map<String, Long> completedAtAttempt = new ConcurrentHashMap<>();

    DatabaseValidator(PoolRegistry registry, PoolwatchConfig config, BackgroundWork work) {
        this.registry = registry;
        this.work = work;
        this.interval = config.health().validationInterval();
        this.timeout = config.health().validationTimeout();
        this.evidenceWindow = interval.plus(timeout);
        List<String> problems = problems(config.health());
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    /** The problems of {@code poolwatch.health.*}, each with its key, value and what is accepted. */
    static List<String> problems(PoolwatchConfig.HealthConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.validationInterval().isZero()) {
            problems.add("poolwatch.health.validation-interval=0s: must be above zero; accepted: " + Durations.ACCEPTED);
        }
        if (config.validationTimeout().isZero()) {
            problems.add("poolwatch.health.validation-timeout=0s: must be above zero; accepted: " + Durations.ACCEPTED);
        }
        return problems;
    }

    void onStart(@Observes StartupEvent event) {
        for (MonitorTarget t : registry.monitorTargets()) {
            workers.put(t.database(), work.lane("health-validator " + t.database(), 1));
        }
        ticker = work.every("health validation round", Duration.ZERO, interval, this::tick);
    }

    /** One round: starts a validation per database unless one is still running, which fails it once overdue. */
    void tick() {
        lastTickNanos = System.nanoTime();
        lastTick = Instant.now();
        for (MonitorTarget t : registry.monitorTargets()) {
            recordCompletions(t);
            try {
                Future<?> running = inFlight.get(t.database());
                if (running != null && !running.isDone()) {
                    Instant since = inFlightSince.get(t.database());
                    if (Duration.between(since, Instant.now()).compareTo(timeout) > 0) {
                        fail(t.database(), "no answer within " + timeout.toMillis() + " ms");
                    }
                    continue;
                }
                inFlightSince.put(t.database(), Instant.now());
                completedAtAttempt.put(t.database(), completed(t));
                inFlight.put(t.database(), workers.get(t.database()).submit("validation", () -> validate(t)));
            } catch (RuntimeException e) {
                LOG.debugf(e, "validation of %s could not start", t.database());
            }
        }
        // A validation that overran is failed on the next tick; check again shortly for a faster flip.
        work.once("overdue validations", timeout.plusMillis(50), this::failOverdue);
    }

    private void failOverdue() {
        for (Map.Entry<String, Future<?>> e : inFlight.entrySet()) {
            Instant since = inFlightSince.get(e.getKey());
            if (!e.getValue().isDone() && since != null && Duration.between(since, Instant.now()).compareTo(timeout) >= 0) {
                fail(e.getKey(), "no answer within " + timeout.toMillis() + " ms");
            }
        }
    }

    private void validate(MonitorTarget t) {
        long start = System.nanoTime();
        try (Connection c = t.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            st.execute("SELECT 1");
            double ms = (System.nanoTime() - start) / 1e6;
            if (Duration.ofNanos(System.nanoTime() - start).compareTo(timeout) > 0) {
                fail(t.database(), String.format("answered after %.0f ms, over the %d ms timeout", ms, timeout.toMillis()));
                return;
            }
            DatabaseValidation previous = results.get(t.database());
            if (previous != null && !previous.reachable()) {
                LOG.infof("database %s reachable again", t.database());
            }
            Instant now = Instant.now();
            results.put(t.database(), new DatabaseValidation(t.database(), true, now, Optional.of(now), Optional.empty(), ms));
        } catch (Exception e) {
            Optional<String> saturation = SlotRefusal.of(e, SlotRefusal.MONITOR, Instant.now())
                    .map(SlotRefusal::describe);
            fail(t.database(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), saturation);
        }
    }

    private void fail(String database, String error) {
        fail(database, error, Optional.empty());
    }

    private void fail(String database, String error, Optional<String> saturation) {
        DatabaseValidation previous = results.get(database);
        if (previous == null || previous.reachable() || previous.saturation().isPresent() != saturation.isPresent()) {
            if (saturation.isPresent()) {
                LOG.warnf("database %s saturated: it refused poolwatch's monitoring connection for lack of slots: %s", database,
                        saturation.get());
            } else {
                LOG.warnf("database %s unreachable: %s", database, error);
            }
        }
        Optional<Instant> lastSuccess = previous == null ? Optional.empty() : previous.lastSuccess();
        results.put(database,
                new DatabaseValidation(database, false, Instant.now(), lastSuccess, Optional.of(error), 0, saturation));
    }

    /** Statements completed without error on the pools of this database since they were created. */
    private long completed(MonitorTarget t) {
        long sum = 0;
        for (String pool : t.pools()) {
            sum += registry.pool(pool).statements().completedStatements();
        }
        return sum;
    }

    /** One point per tick, kept for the evidence window (and one older, to count across the whole window). */
    private void recordCompletions(MonitorTarget t) {
        long now = System.nanoTime();
        ArrayDeque<long[]> points = completions.computeIfAbsent(t.database(), k -> new ArrayDeque<>());
        synchronized (points) {
            points.addLast(new long[] { now, completed(t) });
            while (points.size() > 2) {
                Iterator<long[]> it = points.iterator();
                it.next();
                if (now - it.next()[0] < evidenceWindow.toNanos()) {
                    break;
                }
                points.removeFirst();
            }
        }
    }

    /**
     * The window over which workload statements count as proof that a database answers: one validation interval plus
     * the validation timeout, the longest a healthy monitoring connection goes without a completed validation.
     */
    public Duration evidenceWindow() {
        return evidenceWindow;
    }

    /** What the workloads of a database prove about it now; empty for a database poolwatch has no monitoring pool for. */
    public Optional<WorkloadEvidence> evidence(String database) {
        MonitorTarget target = registry.monitorTargets().stream().filter(t -> t.database().equals(database)).findFirst()
                .orElse(null);
        if (target == null) {
            return Optional.empty();
        }
        long nowNanos = System.nanoTime();
        long now = completed(target);
        long inWindow = 0;
        ArrayDeque<long[]> points = completions.get(database);
        if (points != null) {
            synchronized (points) {
                for (long[] p : points) {
                    if (nowNanos - p[0] <= evidenceWindow.toNanos()) {
                        inWindow = now - p[1];
                        break;
                    }
                }
            }
        }
        Optional<Duration> since = Optional.empty();
        for (String pool : target.pools()) {
            Optional<Duration> s = registry.pool(pool).statements().sinceLastCompleted(nowNanos);
            if (s.isPresent() && (since.isEmpty() || s.get().compareTo(since.get()) < 0)) {
                since = s;
            }
        }
        long sinceAttempt = now - completedAtAttempt.getOrDefault(database, now);
        return Optional.of(new WorkloadEvidence(inWindow, evidenceWindow, sinceAttempt, since));
    }

    /** The latest validation of a database, empty before the first one ends. */
    public Optional<DatabaseValidation> result(String database) {
        return Optional.ofNullable(results.get(database));
    }

    /** When the validation timer last ran: it never touches a database, so it shows the process is working. */
    public Instant lastTick() {
        return lastTick;
    }

    /** When the timer last ticked, by {@link System#nanoTime()}. */
    public long lastTickNanos() {
        return lastTickNanos;
    }

    /** How often the timer runs. */
    public Duration interval() {
        return interval;
    }

    @PreDestroy
    void stop() {
        if (ticker != null) {
            ticker.cancel();
        }
        workers.values().forEach(BackgroundWork.Lane::stop);
    }
}
