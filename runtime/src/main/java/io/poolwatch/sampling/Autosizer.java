package io.poolwatch.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.poolwatch.config.AutosizeMode;
import io.poolwatch.config.Durations;
import io.poolwatch.config.Limits;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.pool.MonitorTarget;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.sampling.Autosizing.Budget;
import io.poolwatch.sampling.Autosizing.Decision;
import io.poolwatch.sampling.Autosizing.Direction;
import io.poolwatch.work.BackgroundWork;
import io.quarkus.runtime.StartupEvent;

/**
 * Closed-loop sizing: every sampling interval, for every pool, asks {@link Autosizing} what its max-size should be within
 * its server's connection budget, and applies the answer to the Agroal pool where its autosize mode is on. A change in
 * dry-run is recorded the same way and not applied; with autosizing off, the answer is only the dashboard's sizing advice.
 * Every change, applied or recommended, is logged, fired as a CDI event (the audit log records it), counted, kept for the
 * pool's page and the API, and marked on the pool's charts.
 */
@ApplicationScoped
public class Autosizer {

    private static final Logger LOG = Logger.getLogger(Autosizer.class);

    /**
     * A change of a pool's max-size, applied (mode on) or recommended (dry-run).
     *
     * @param mode on or dry-run
     * @param applied whether the pool's max-size was changed
     * @param direction raise or lower
     * @param reason what was seen, with the figures
     * @param budget the server's budget with its parts, or why it is not known
     */
    public record Change(String pool, String mode, boolean applied, String direction, int from, int to, String reason,
            String budget, Instant at) {
    }

    /** A pool's autosizing as the API and its page show it: the policy, the latest answer and the recent changes. */
    public record View(String mode, int configuredMaxSize, int maxSize, int floor, Integer ceiling, int step,
            String waitTarget, String raiseCooldown, String lowerAfter, Integer allowed, String latest,
            String latestDirection, Instant latestAt, long raises, long lowers, List<Change> changes) {
    }

    private static final class PoolState {
        volatile Instant lastChange;
        /** The pool's quiet stretch, kept up to date with each new sample (only the evaluating thread writes it). */
        final Autosizing.QuietStretch quiet = new Autosizing.QuietStretch();
        /** When the newest sample folded into {@code quiet} was taken. */
        Instant lastSeen;
        volatile Decision latest;
        volatile long raises;
        volatile long lowers;
        final Deque<Change> changes = new ArrayDeque<>();
    }

    private final PoolRegistry registry;
    private final PoolSampler pools;
    private final ServerSampler servers;
    private final Event<Change> changeEvents;
    private final int replicas;
    private final int spare;
    private final Duration interval;
    /** A server read longer ago than this says nothing about its budget now. */
    private final Duration stale;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, PoolState> states = new ConcurrentHashMap<>();

    Autosizer(PoolRegistry registry, PoolSampler pools, ServerSampler servers, Event<Change> changeEvents,
            PoolwatchConfig config) {
        this.registry = registry;
        this.pools = pools;
        this.servers = servers;
        this.changeEvents = changeEvents;
        this.replicas = config.sampling().expectedReplicas();
        this.spare = config.sampling().spareConnections();
        this.interval = config.sampling().interval();
        Duration threeReads = config.sampling().serverInterval().multipliedBy(3);
        this.stale = threeReads.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : threeReads;
    }

    /** Evaluates every {@code poolwatch.sampling.interval}, in a lane of its own. */
    void schedule(@Observes StartupEvent event, BackgroundWork work, PoolwatchConfig config) {
        work.everyInOwnLane("autosizer", "autosizing", config.sampling().interval(),
                () -> registry.configuration().monitoring().enabled(), this::evaluateNow);
    }

    /** Decides for every pool now, and applies or records the changes. */
    public synchronized void evaluateNow() {
        Instant now = clock.instant();
        Map<String, List<MonitorTarget>> byServer = new LinkedHashMap<>();
        for (MonitorTarget t : registry.monitorTargets()) {
            byServer.computeIfAbsent(t.server(), k -> new ArrayList<>()).add(t);
        }
        Set<String> done = new HashSet<>();
        for (Map.Entry<String, List<MonitorTarget>> server : byServer.entrySet()) {
            StringBuilder unknown = new StringBuilder();
            Optional<Budget> budget = budget(server.getKey(), server.getValue(), now, unknown);
            Set<String> names = new LinkedHashSet<>();
            server.getValue().forEach(t -> names.addAll(t.pools()));
            // The max-size of every pool on the server, kept up to date as the loop changes them.
            int total = 0;
            for (String name : names) {
                total += registry.pool(name).maxSize();
            }
            for (String name : names) {
                WorkloadPool pool = registry.pool(name);
                int before = pool.maxSize();
                int others = total - before;
                OptionalInt allowed = budget.map(b -> OptionalInt.of(b.forPools() - others)).orElse(OptionalInt.empty());
                evaluate(pool, budget, allowed, unknown.toString(), now);
                total += pool.maxSize() - before;
                done.add(name);
            }
        }
        for (WorkloadPool p : registry.pools()) {
            if (!done.contains(p.name())) {
                evaluate(p, Optional.empty(), OptionalInt.empty(), "its server is not watched (monitoring is off for it)", now);
            }
        }
    }

    private void evaluate(WorkloadPool pool, Optional<Budget> budget, OptionalInt allowed, String unknown, Instant now) {
        PoolSettings.Autosize policy = pool.settings().autosize();
        PoolState state = states.computeIfAbsent(pool.name(), n -> new PoolState());
        Instant last = state.lastChange;
        Duration window = policy.raiseCooldown().compareTo(interval) < 0 ? interval : policy.raiseCooldown();
        List<PoolSnapshot> recent = afterChange(pools.history(pool.name(), window), last);
        // The samples taken since the last evaluation, folded into the quiet stretch: one or two a pool, not minutes of them.
        // The first evaluation reads lower-after and one interval more, so that its oldest sample lies lower-after back.
        List<PoolSnapshot> fresh = state.lastSeen == null ? pools.history(pool.name(), policy.lowerAfter().plus(interval))
                : pools.since(pool.name(), state.lastSeen);
        for (PoolSnapshot s : afterChange(fresh, last)) {
            state.quiet.add(s, policy.waitTarget());
            state.lastSeen = s.takenAt();
        }
        Optional<Duration> since = Optional.ofNullable(last).map(l -> Duration.between(l, now));
        Decision d = Autosizing.decide(policy, pool.maxSize(), recent, state.quiet.view(now, policy.lowerAfter()), since,
                allowed,
                unknown, now);
        state.latest = d;
        if (!d.change() || policy.mode() == AutosizeMode.OFF) {
            return;
        }
        boolean applied = false;
        if (policy.mode() == AutosizeMode.ON) {
            try {
                pool.resize(d.to());
                applied = true;
            } catch (RuntimeException e) {
                LOG.warnf("autosize: pool %s max-size %d -> %d could not be applied: %s", pool.name(), d.from(), d.to(),
                        e.getMessage());
                return;
            }
        }
        Change change = new Change(pool.name(), policy.mode().label(), applied, d.direction().label(), d.from(), d.to(),
                d.reason(), budget.map(Budget::describe).orElse("budget not known: " + unknown), now);
        synchronized (state.changes) {
            state.changes.addFirst(change);
            while (state.changes.size() > Limits.AUTOSIZE_EVENTS) {
                state.changes.removeLast();
            }
        }
        state.lastChange = now;
        state.quiet.restart(now);
        if (d.direction() == Direction.RAISE) {
            state.raises++;
        } else {
            state.lowers++;
        }
        LOG.infof("autosize (%s): pool %s max-size %d -> %d%s: %s; %s", policy.mode().label(), pool.name(), d.from(),
                d.to(), applied ? "" : " recommended, not applied", d.reason(), change.budget());
        changeEvents.fire(change);
    }

    private static List<PoolSnapshot> afterChange(List<PoolSnapshot> snapshots, Instant lastChange) {
        if (lastChange == null) {
            return snapshots;
        }
        return snapshots.stream().filter(s -> s.takenAt().isAfter(lastChange)).toList();
    }

    /**
     * The budget of one server from its latest readable snapshot: the sessions that are not poolwatch's are told apart
     * by application name on PostgreSQL (every replica's pools and monitoring connections show theirs); where the server
     * cannot tell them apart (MariaDB groups by user), every session but this process's own counts as another
     * application's, which only makes the budget smaller.
     */
    Optional<Budget> budget(String server, List<MonitorTarget> targets, Instant now, StringBuilder unknown) {
        ServerSnapshot newest = null;
        for (MonitorTarget t : targets) {
            Optional<ServerSnapshot> s = servers.latest(t.database());
            if (s.isPresent() && s.get().available() && s.get().maxConnections().isPresent()
                    && (newest == null || s.get().takenAt().isAfter(newest.takenAt()))) {
                newest = s.get();
            }
        }
        if (newest == null) {
            unknown.append(targets.get(0).kind() == DatabaseKind.H2 ? "H2 has no connection limit to read"
                    : "the server's sessions and max_connections have not been read");
            return Optional.empty();
        }
        if (Duration.between(newest.takenAt(), now).compareTo(stale) > 0) {
            unknown.append("the server's sessions were last read ").append(Durations.format(
                    Duration.between(newest.takenAt(), now).withNanos(0))).append(" ago");
            return Optional.empty();
        }
        int ours = 0;
        if (newest.kind() == DatabaseKind.POSTGRESQL) {
            Set<String> names = new HashSet<>();
            names.add(PoolRegistry.MONITOR_APPLICATION_NAME);
            targets.forEach(t -> names.addAll(t.applicationNames().values()));
            for (MonitorTarget t : targets) {
                Optional<ServerSnapshot> s = servers.latest(t.database()).filter(ServerSnapshot::available);
                if (s.isPresent()) {
                    for (ServerSnapshot.SessionGroup g : s.get().sessions()) {
                        if (names.contains(g.application())) {
                            ours += g.count();
                        }
                    }
                }
            }
        } else {
            for (MonitorTarget t : targets) {
                for (String p : t.pools()) {
                    ours += (int) registry.pool(p).recorder().open();
                }
            }
            ours += targets.size();
        }
        int others = Math.max(0, newest.totalSessions() - ours);
        return Optional.of(new Budget(server, newest.maxConnections().getAsInt(), newest.reservedConnections(), spare, others,
                replicas, targets.size(), newest.takenAt()));
    }

    /** The latest answer for a pool, if it was evaluated. */
    public Optional<Decision> latest(String pool) {
        return Optional.ofNullable(states.get(pool)).map(s -> s.latest);
    }

    /** A pool's recent changes, applied or recommended, newest first (at most {@link Limits#AUTOSIZE_EVENTS}). */
    public List<Change> changes(String pool) {
        PoolState s = states.get(pool);
        if (s == null) {
            return List.of();
        }
        synchronized (s.changes) {
            return List.copyOf(s.changes);
        }
    }

    /** Raises made or recommended for a pool since start. */
    public long raises(String pool) {
        PoolState s = states.get(pool);
        return s == null ? 0 : s.raises;
    }

    /** Lowerings made or recommended for a pool since start. */
    public long lowers(String pool) {
        PoolState s = states.get(pool);
        return s == null ? 0 : s.lowers;
    }

    /** A pool's autosizing for the API and its page. */
    public View view(WorkloadPool pool) {
        PoolSettings.Autosize a = pool.settings().autosize();
        Optional<Decision> d = latest(pool.name());
        return new View(a.mode().label(), pool.settings().maxSize(), pool.maxSize(), a.floor(), a.ceiling().orElse(null),
                a.step(), Durations.format(a.waitTarget()), Durations.format(a.raiseCooldown()),
                Durations.format(a.lowerAfter()),
                d.flatMap(x -> x.allowed().isPresent() ? Optional.of(x.allowed().getAsInt()) : Optional.empty()).orElse(null),
                d.map(Decision::reason).orElse(null), d.map(x -> x.direction().label()).orElse(null),
                d.map(Decision::at).orElse(null), raises(pool.name()), lowers(pool.name()), changes(pool.name()));
    }

    /**
     * The sizing advice: the latest answer for each pool whose autosizing is off or in dry-run, where it would change the
     * max-size.
     */
    public List<SizingAdvice> advice() {
        List<SizingAdvice> out = new ArrayList<>();
        for (WorkloadPool p : registry.pools()) {
            AutosizeMode mode = p.settings().autosize().mode();
            Optional<Decision> d = latest(p.name()).filter(Decision::change);
            if (mode == AutosizeMode.ON || d.isEmpty()) {
                continue;
            }
            Decision x = d.get();
            out.add(new SizingAdvice(p.name(), x.direction() == Direction.RAISE ? "undersized" : "oversized",
                    String.format("%s max-size %d to %d: %s (autosize %s)", x.direction() == Direction.RAISE ? "raise"
                            : "lower", x.from(), x.to(), x.reason(),
                            mode == AutosizeMode.DRY_RUN ? "dry-run"
                                    : "off: set poolwatch.pools.\"" + p.name()
                                            + "\".autosize.mode=on to apply")));
        }
        return out;
    }
}
