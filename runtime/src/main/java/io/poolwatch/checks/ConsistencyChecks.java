package io.poolwatch.checks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.poolwatch.cluster.ClusterJobs;
import io.poolwatch.config.Durations;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.store.Database;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Owns the consistency checks: validates them at start-up (a bad definition stops start-up), runs each on its
 * schedule on its workload's pool, at most {@code poolwatch.consistency.max-concurrent} at once and never two runs of
 * one check at once, and keeps a bounded history of results per check.
 */
@Startup
@ApplicationScoped
public class ConsistencyChecks {

    private static final Logger LOG = Logger.getLogger(ConsistencyChecks.class);

    /** One check's definition and what its runs have left. */
    private static final class State {
        final CheckDefinition definition;
        final ChunkCursor cursor = new ChunkCursor();
        final Deque<CheckResult> history = new ArrayDeque<>();
        final Map<CheckStatus, AtomicLong> runs = new EnumMap<>(CheckStatus.class);
        final AtomicLong skipped = new AtomicLong();
        volatile CompletableFuture<CheckResult> inFlight;
        volatile ZonedDateTime nextRun;
        volatile CheckResult lastSuccess;

        State(CheckDefinition definition) {
            this.definition = definition;
            for (CheckStatus s : CheckStatus.values()) {
                runs.put(s, new AtomicLong());
            }
        }
    }

    /** A check's lock outlives its timeout by this, for the time it takes to record the result. */
    static final Duration LOCK_MARGIN = Duration.ofSeconds(5);

    private final PoolRegistry registry;
    private final ClusterJobs cluster;
    private final PoolwatchConfig.ConsistencyConfig config;
    private final Map<String, State> checks = new LinkedHashMap<>();
    private volatile CursorStore cursorStore;
    private final BackgroundWork work;
    /** The runs, at most {@code max-concurrent} at a time. */
    private final BackgroundWork.Lane runner;

    ConsistencyChecks(PoolRegistry registry, PoolwatchConfig config, ClusterJobs cluster,
            Instance<ProvidedChecks> provided, BackgroundWork work) {
        this.registry = registry;
        this.work = work;
        this.cluster = cluster;
        this.config = config.consistency();
        List<String> problems = CheckDefinitionParser.settingsProblems(this.config);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        Map<String, DatabaseKind> workloads = new LinkedHashMap<>();
        for (PoolSettings s : registry.configuration().pools()) {
            workloads.put(s.name(), s.url().kind());
        }
        List<CheckDefinitionParser.Source> sources = CheckDefinitionParser.sources(this.config, registry.embedded(), provided,
                workloads);
        for (CheckDefinition d : CheckDefinitionParser.parse(sources, workloads)) {
            checks.put(d.name(), new State(d));
        }
        this.runner = work.lane("check", this.config.maxConcurrent());
        for (State state : checks.values()) {
            CheckDefinition d = state.definition;
            LOG.infof("check %s: %s on %s, %s, schedule %s, timeout %s, %s%s", d.name(), d.kind().label(), d.workload(),
                    d.mode().label(),
                    d.schedule(), Durations.format(d.timeout()), d.severity().label(),
                    d.source().equals("demo") ? " (demo)" : "");
            if (this.config.enabled() && d.schedule().scheduled()) {
                ZonedDateTime now = ZonedDateTime.now();
                ZonedDateTime first = d.schedule().cron() ? d.schedule().next(now).orElseThrow()
                        : now.plus(this.config.initialDelay());
                plan(state, first);
            }
        }
    }

    private void plan(State state, ZonedDateTime at) {
        state.nextRun = at;
        long delay = Math.max(0, Duration.between(ZonedDateTime.now(), at).toMillis());
        work.once("check " + state.definition.name(), Duration.ofMillis(delay), () -> {
            Optional<ZonedDateTime> next = state.definition.schedule()
                    .next(at.isAfter(ZonedDateTime.now()) ? at : ZonedDateTime.now());
            scheduled(state, at, next);
            next.ifPresent(n -> plan(state, n));
        });
    }

    /**
     * A scheduled run. With several processes it runs only in the one that runs the cluster's jobs, under a lock of
     * its own held until shortly before the next run, so a check runs once per interval even when another process
     * takes the jobs over in between.
     */
    private void scheduled(State state, ZonedDateTime at, Optional<ZonedDateTime> next) {
        if (!cluster.coordinated()) {
            submit(state, "schedule");
            return;
        }
        if (!cluster.leads()) {
            return;
        }
        CheckDefinition d = state.definition;
        Duration gap = next.map(n -> Duration.between(at, n)).filter(g -> !g.isNegative() && !g.isZero()).orElse(d.timeout());
        // Released a little before the next run: that run may start late, never early.
        Duration margin = gap.dividedBy(4).compareTo(LOCK_MARGIN) < 0 ? gap.dividedBy(4) : LOCK_MARGIN;
        cluster.runOnce("check:" + d.name(), gap.minus(margin), d.timeout().plus(LOCK_MARGIN), () -> submit(state, "schedule"));
    }

    /** Starts a run unless one of this check is queued or running, in which case that run is returned. */
    private CompletableFuture<CheckResult> submit(State state, String trigger) {
        synchronized (state) {
            CompletableFuture<CheckResult> current = state.inFlight;
            if (current != null && !current.isDone()) {
                if (trigger.equals("schedule")) {
                    state.skipped.incrementAndGet();
                    LOG.debugf("check %s: previous run still in progress, this one skipped", state.definition.name());
                }
                return current;
            }
            CompletableFuture<CheckResult> run = CompletableFuture.supplyAsync(() -> execute(state, trigger),
                    runner.executor("check " + state.definition.name()));
            state.inFlight = run;
            return run;
        }
    }

    /** poolwatch's tables are open (for alerting): chunked checks keep their watermarks there from now on. */
    void onTablesOpened(@Observes Database.Opened opened) {
        attachCursors(new JdbcCursorStore(opened.database()));
    }

    /**
     * Keeps chunked checks' watermarks in {@code store} from now on, and takes up the places saved there (by an earlier
     * run, or by the replica that ran the checks before this one) for checks that have not run here yet.
     */
    public void attachCursors(CursorStore store) {
        Map<String, CursorStore.Saved> saved;
        try {
            saved = store.loadCursors();
        } catch (RuntimeException e) {
            LOG.warnf("saved watermarks of chunked checks cannot be read (%s): chunked checks start from the lowest key",
                    e.getMessage());
            return;
        }
        for (State state : checks.values()) {
            CursorStore.Saved v = saved.get(state.definition.name());
            if (state.definition.mode() == CheckMode.CHUNKED && v != null
                    && v.definition().equals(fingerprint(state.definition))) {
                List<Scope.KeyRange> pending = v.pending().stream().map(r -> new Scope.KeyRange(r[0], r[1])).toList();
                if (state.cursor.restore(v.watermark(), pending)) {
                    LOG.infof("check %s resumes after key %d (%d earlier range(s) to check again)", state.definition.name(),
                            v.watermark(),
                            pending.size());
                }
            }
        }
        cursorStore = store;
    }

    /** What a watermark is about: the kind and its parameters (tables, keys), so a changed definition starts over. */
    static String fingerprint(CheckDefinition d) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((d.spec().kind() + " " + d.spec().parameters()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void saveCursor(CheckDefinition d, ChunkCursor cursor) {
        CursorStore store = cursorStore;
        OptionalLong w = cursor.watermark();
        if (store == null || d.mode() != CheckMode.CHUNKED || w.isEmpty()) {
            return;
        }
        try {
            store.saveCursor(d.name(), new CursorStore.Saved(fingerprint(d), w.getAsLong(),
                    cursor.pending().stream().map(r -> new long[] { r.after(), r.upTo() }).toList()));
        } catch (RuntimeException e) {
            LOG.debugf("the watermark of check %s could not be saved: %s", d.name(), e.getMessage());
        }
    }

    private CheckResult execute(State state, String trigger) {
        CheckDefinition d = state.definition;
        CheckResult result = CheckRunner.run(d, registry.dataSource(d.workload()), state.cursor, trigger);
        saveCursor(d, state.cursor);
        synchronized (state.history) {
            state.history.addFirst(result);
            while (state.history.size() > config.historySize()) {
                state.history.removeLast();
            }
        }
        state.runs.get(result.checkStatus()).incrementAndGet();
        if (result.checkStatus() == CheckStatus.PASS) {
            state.lastSuccess = result;
        }
        CheckResult previous = state.history.size() > 1 ? List.copyOf(state.history).get(1) : null;
        boolean changed = previous == null || !previous.status().equals(result.status());
        if (result.checkStatus() == CheckStatus.PASS) {
            if (changed) {
                LOG.infof("check %s passed: %d violation(s), %s, %.3fs", d.name(), result.violations(), result.scope(),
                        result.durationSeconds());
            }
        } else if (changed) {
            LOG.warnf("check %s: %s%s%s", d.name(), result.status(),
                    result.violations() != null
                            ? ", " + result.violations() + " violation(s) (allowed " + d.allowedViolations() + ")"
                            : "",
                    result.message() != null ? ": " + result.message() : "");
        }
        return result;
    }

    /** Every check's definition, in configuration order. */
    public List<CheckDefinition> definitions() {
        return checks.values().stream().map(s -> s.definition).toList();
    }

    private State state(String name) {
        State s = checks.get(name);
        if (s == null) {
            throw new UnknownCheckException(name, checks.keySet());
        }
        return s;
    }

    /** One check's definition; {@link UnknownCheckException} when there is none. */
    public CheckDefinition definition(String name) {
        return state(name).definition;
    }

    /** The latest result of a check; empty before its first run. */
    public Optional<CheckResult> latest(String name) {
        State s = state(name);
        synchronized (s.history) {
            return Optional.ofNullable(s.history.peekFirst());
        }
    }

    /** A check's results, newest first. */
    public List<CheckResult> history(String name) {
        State s = state(name);
        synchronized (s.history) {
            return List.copyOf(s.history);
        }
    }

    /** The latest result of every check that has run, for the alert rules. */
    public List<CheckResult> latestResults() {
        List<CheckResult> out = new ArrayList<>();
        for (String name : checks.keySet()) {
            latest(name).ifPresent(out::add);
        }
        return Collections.unmodifiableList(out);
    }

    /** The last passing run of a check. */
    public Optional<CheckResult> lastSuccess(String name) {
        return Optional.ofNullable(state(name).lastSuccess);
    }

    /** Runs of a check that ended with {@code status}, since start-up. */
    public long runs(String name, CheckStatus status) {
        return state(name).runs.get(status).get();
    }

    /** Scheduled runs skipped because the previous one had not finished. */
    public long skipped(String name) {
        return state(name).skipped.get();
    }

    /** When the check runs next on its schedule. */
    public Optional<ZonedDateTime> nextRun(String name) {
        return Optional.ofNullable(state(name).nextRun);
    }

    /** Whether a run of the check is queued or running. */
    public boolean running(String name) {
        CompletableFuture<CheckResult> f = state(name).inFlight;
        return f != null && !f.isDone();
    }

    /** The highest key a chunked check has covered. */
    public OptionalLong watermark(String name) {
        return state(name).cursor.watermark();
    }

    /** Runs a check now (or joins its run in progress). */
    public CompletableFuture<CheckResult> runNow(String name) {
        return submit(state(name), "manual");
    }

    /** Chunked mode: start again from the table's lowest key. */
    public void resetWatermark(String name) {
        state(name).cursor.reset();
    }

    void onStop(@Observes @Priority(900) ShutdownEvent event) {
        runner.stop();
    }
}
