package io.poolwatch.pool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import io.poolwatch.config.Durations;
import io.poolwatch.config.ReadRouting;
import io.poolwatch.config.ReadStrategy;
import io.poolwatch.config.ReplicaFallback;
import io.poolwatch.config.ReplicaSettings;
import io.poolwatch.engine.ServerRole;

/**
 * One workload's read replicas as routing sees them: their pools, a picker per strategy, and what was routed where.
 * Counting is adders only, so a read costs a few increments besides the pick itself.
 */
public final class ReplicaSet {

    private static final Logger LOG = Logger.getLogger(ReplicaSet.class);

    private final String workload;
    private final WorkloadPool primary;
    private final ReadRouting routing;
    private final List<Replica> replicas;
    private final Map<ReadStrategy, ReplicaPicker> pickers = new EnumMap<>(ReadStrategy.class);
    private final Map<ReplicaFallback, LongAdder> fallbacks = new EnumMap<>(ReplicaFallback.class);
    private final AtomicBoolean noneUsable = new AtomicBoolean();

    /** One replica: its settings, its pool and its counts. */
    public static final class Replica {
        private final ReplicaSettings settings;
        private final WorkloadPool pool;
        private final LongAdder reads = new LongAdder();
        private final Map<ReplicaUsability, LongAdder> skipped = new EnumMap<>(ReplicaUsability.class);
        private volatile Instant lastFailure;
        private volatile String lastFailureMessage;

        Replica(ReplicaSettings settings, WorkloadPool pool) {
            this.settings = settings;
            this.pool = pool;
            for (ReplicaUsability u : ReplicaUsability.values()) {
                if (u.skip()) {
                    skipped.put(u, new LongAdder());
                }
            }
        }

        public String name() {
            return pool.name();
        }

        public ReplicaSettings settings() {
            return settings;
        }

        public WorkloadPool pool() {
            return pool;
        }

        public int weight() {
            return settings.weight();
        }

        /** Reads routed to this replica (connections handed out and routes returned). */
        public long reads() {
            return reads.sum();
        }

        /** Routing decisions that passed over this replica for {@code reason}. */
        public long skipped(ReplicaUsability reason) {
            LongAdder a = skipped.get(reason);
            return a == null ? 0 : a.sum();
        }

        public Optional<Instant> lastFailure() {
            return Optional.ofNullable(lastFailure);
        }

        public Optional<String> lastFailureMessage() {
            return Optional.ofNullable(lastFailureMessage);
        }

        void failed(Instant at, String message) {
            lastFailureMessage = message;
            lastFailure = at;
        }
    }

    /**
     * A routing decision.
     *
     * @param replica the replica chosen, or null when none is usable
     * @param usability each replica's state at the decision, in configuration order
     */
    record Choice(Replica replica, ReplicaUsability[] usability) {
    }

    ReplicaSet(String workload, WorkloadPool primary, ReadRouting routing, List<Replica> replicas) {
        this.workload = workload;
        this.primary = primary;
        this.routing = routing;
        this.replicas = List.copyOf(replicas);
        int[] weights = this.replicas.stream().mapToInt(Replica::weight).toArray();
        for (ReadStrategy s : ReadStrategy.values()) {
            pickers.put(s, ReplicaPicker.of(s, weights));
        }
        for (ReplicaFallback f : ReplicaFallback.values()) {
            fallbacks.put(f, new LongAdder());
        }
    }

    public String workload() {
        return workload;
    }

    /** The workload's own pool, which serves reads when no replica can. */
    public WorkloadPool primary() {
        return primary;
    }

    public ReadRouting routing() {
        return routing;
    }

    public List<Replica> replicas() {
        return replicas;
    }

    /** Reads that found no usable replica and were handled by {@code fallback} (served by the primary, or failed). */
    public long fallbacks(ReplicaFallback fallback) {
        return fallbacks.get(fallback).sum();
    }

    /** Each replica's state now, in configuration order. */
    public ReplicaUsability[] usability(ReplicaConditions conditions) {
        ReplicaUsability[] out = new ReplicaUsability[replicas.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = judge(replicas.get(i), conditions.of(replicas.get(i).pool()));
        }
        return out;
    }

    private ReplicaUsability judge(Replica r, ReplicaCondition c) {
        WorkloadPool p = r.pool();
        if (r.weight() > 0 && p.roles().latest().map(x -> x.role() == ServerRole.PRIMARY).orElse(false)) {
            return ReplicaUsability.PROMOTED;
        }
        return ReplicaUsability.judge(r.weight(), c, routing.maxLag(), r.lastFailure(), p.recorder().leased(),
                p.maxSize(),
                p.recorder().awaiting());
    }

    /**
     * Chooses a replica for one read. Replicas in {@code tried} failed earlier in the same read and count as failed;
     * skips are counted on a read's first decision only.
     */
    Choice choose(ReadStrategy strategy, ReplicaConditions conditions, Set<Replica> tried, boolean countSkips) {
        ReplicaUsability[] u = usability(conditions);
        boolean[] usable = new boolean[u.length];
        for (int i = 0; i < u.length; i++) {
            if (tried.contains(replicas.get(i))) {
                u[i] = ReplicaUsability.FAILED;
            }
            usable[i] = u[i] == ReplicaUsability.USABLE;
            if (countSkips && u[i].skip()) {
                replicas.get(i).skipped.get(u[i]).increment();
            }
        }
        int index = pickers.get(strategy).pick(usable);
        return new Choice(index < 0 ? null : replicas.get(index), u);
    }

    /** Counts a read served by {@code r}; logs once when reads reach a replica again after falling back. */
    void served(Replica r) {
        r.reads.increment();
        if (noneUsable.get() && noneUsable.compareAndSet(true, false)) {
            LOG.infof("reads of workload %s go to its replicas again (%s)", workload, r.name());
        }
    }

    /** Counts a read no replica could take; logs once when that starts. */
    void fellBack(String reasons) {
        fallbacks.get(routing.fallback()).increment();
        if (noneUsable.compareAndSet(false, true)) {
            LOG.warnf("no read replica of workload %s is usable (%s); reads %s", workload, reasons,
                    routing.fallback() == ReplicaFallback.PRIMARY ? "go to its primary pool " + primary.name()
                            : "fail (read-routing.fallback=fail)");
        }
    }

    /** Why each replica was passed over, for logs and errors: "main-replica-1 unreachable (connection refused), ...". */
    String reasons(Choice choice, ReplicaConditions conditions) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            Replica r = replicas.get(i);
            ReplicaUsability u = choice.usability()[i];
            parts.add(r.name() + " " + describe(r, u, conditions.of(r.pool())));
        }
        return String.join(", ", parts);
    }

    /** One replica's state in words: "lagging (12.3s behind, max-lag 10s)". */
    String describe(Replica r, ReplicaUsability u, ReplicaCondition c) {
        String detail = switch (u) {
            case USABLE -> "";
            case DRAINED -> "weight 0";
            case PENDING -> "first validation pending";
            case UNREACHABLE -> c.detail();
            case FAILED -> r.lastFailureMessage().orElse("connection failed");
            case LAGGING -> c.lagSeconds().map(s -> String.format(Locale.ROOT, "%.1fs behind", s)).orElse(c.detail())
                    + routing.maxLag().map(m -> ", max-lag " + Durations.format(m)).orElse("");
            case EXHAUSTED -> r.pool().recorder().leased() + " of " + r.pool().maxSize() + " leased, "
                    + r.pool().recorder().awaiting() + " waiting";
            case PROMOTED -> "its server takes writes"
                    + r.pool().roles().latest().map(x -> " since " + x.since()).orElse("") + ": no longer a replica";
        };
        return u.label() + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
