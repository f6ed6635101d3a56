package io.poolwatch.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.poolwatch.config.Durations;
import io.poolwatch.config.PoolSettings;

/**
 * The closed-loop sizing computation: from a pool's recent snapshots, its policy and the server's connection budget, what
 * its max-size should be now. Pure: {@link Autosizer} applies or records its answers, and the dashboard's sizing advice is
 * its answer for the pools whose autosizing is off.
 */
public final class Autosizing {

    private Autosizing() {
    }

    /** Which way a decision moves the max-size. */
    public enum Direction {
        RAISE("raise"),
        LOWER("lower"),
        HOLD("hold");

        private final String label;

        Direction(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The connection budget of one database server, for poolwatch's pools there:
     *
     * <pre>
     * pools = (max_connections - reserved - spare - other applications' sessions) / expected replicas - monitoring connections
     * </pre>
     *
     * @param server the server, {@code host:port}
     * @param maxConnections the server's max_connections
     * @param reserved slots the server keeps for superusers
     * @param spare slots autosizing leaves free beyond those ({@code poolwatch.sampling.spare-connections})
     * @param otherSessions sessions on the server that are not poolwatch's (any replica's)
     * @param replicas the replicas of poolwatch expected, each taking its share
     * @param monitorConnections this process's monitoring connections to the server, held for good
     * @param readAt when the server's sessions were read
     */
    public record Budget(String server, int maxConnections, int reserved, int spare, int otherSessions, int replicas,
            int monitorConnections, Instant readAt) {

        /** The most connections this process's pools on the server may open together (never below zero). */
        public int forPools() {
            int share = (maxConnections - reserved - spare - otherSessions) / Math.max(1, replicas);
            return Math.max(0, share - monitorConnections);
        }

        /** The budget with its parts, for the log, the audit and the advice. */
        public String describe() {
            return String.format(
                    "budget %d for the pools (max_connections %d - %d reserved - %d spare - %d other sessions%s - %d "
                            + "monitoring)",
                    forPools(), maxConnections, reserved, spare, otherSessions,
                    replicas > 1 ? ", / " + replicas + " replicas" : "", monitorConnections);
        }
    }

    /**
     * What the computation found for one pool.
     *
     * @param direction raise, lower or hold
     * @param from the max-size now
     * @param to the max-size it should have (from, for hold)
     * @param reason what was seen, with the figures, and for a hold why nothing moves
     * @param allowed the most max-size the budget leaves this pool now; empty when the budget is not known
     * @param at when it was computed
     */
    public record Decision(Direction direction, int from, int to, String reason, OptionalInt allowed, Instant at) {

        public boolean change() {
            return direction != Direction.HOLD;
        }
    }

    /**
     * What a pool's max-size should be now.
     *
     * @param policy the pool's autosize settings
     * @param current its max-size now
     * @param recent its snapshots within the raise window ({@code raise-cooldown}, at least the newest), oldest first
     * @param quiet how long it has been quiet, and its peak use since
     * @param sinceChange time since its max-size last changed (or a change was recommended); empty if never
     * @param allowed the most max-size the budget leaves it (the budget less the other pools' max-size on the server); empty
     *        when the budget is not known
     * @param unknownBudget why the budget is not known, when it is not
     */
    public static Decision decide(PoolSettings.Autosize policy, int current, List<PoolSnapshot> recent,
            Quiet quiet,
            Optional<Duration> sinceChange, OptionalInt allowed, String unknownBudget, Instant now) {
        int floor = policy.floor();
        // Over budget: other applications grew, or the pools were configured beyond it. Lowered at once, whatever the
        // cooldowns, since every connection above it may take a slot someone else needs.
        if (allowed.isPresent() && current > allowed.getAsInt() && current > floor) {
            int to = Math.max(floor, allowed.getAsInt());
            return new Decision(Direction.LOWER, current, to, "over the server's budget: it leaves " + allowed.getAsInt()
                    + " for this pool" + (to > allowed.getAsInt() ? "; the floor " + floor + " holds" : ""), allowed, now);
        }
        Optional<String> pressure = pressure(policy, current, recent);
        if (pressure.isPresent()) {
            String seen = pressure.get();
            if (sinceChange.isPresent() && sinceChange.get().compareTo(policy.raiseCooldown()) < 0) {
                return hold(current, seen + "; cooling down after the last change (" + Durations.format(policy.raiseCooldown())
                        + ")", allowed, now);
            }
            int to = current + policy.step();
            String limit = "";
            if (policy.ceiling().isPresent() && to > policy.ceiling().get()) {
                to = policy.ceiling().get();
                limit = "; the ceiling " + policy.ceiling().get() + " holds";
            }
            if (allowed.isEmpty()) {
                return hold(current, seen + "; not raised: " + unknownBudget, allowed, now);
            }
            if (to > allowed.getAsInt()) {
                to = allowed.getAsInt();
                limit = "; the server's budget leaves " + allowed.getAsInt() + " for this pool";
            }
            if (to <= current) {
                return hold(current, seen + "; not raised" + limit, allowed, now);
            }
            return new Decision(Direction.RAISE, current, to, seen + limit, allowed, now);
        }
        int to = Math.max(floor, current - policy.step());
        if (to >= current) {
            return hold(current, "no waits; at the floor " + floor, allowed, now);
        }
        if (sinceChange.isPresent() && sinceChange.get().compareTo(policy.lowerAfter()) < 0) {
            return hold(current, "no waits; changed less than " + Durations.format(policy.lowerAfter()) + " ago", allowed, now);
        }
        // A sample is an interval's figures taken at its end: nine tenths of lower-after covers it, give or take a sample.
        if (quiet.since().isEmpty() || Duration.between(quiet.since().get(), now).compareTo(policy.lowerAfter().multipliedBy(9)
                .dividedBy(10)) < 0) {
            return hold(current, quiet.disturbed()
                    ? "waits or timeouts within the last " + Durations.format(policy.lowerAfter())
                    : "no waits; less than " + Durations.format(policy.lowerAfter()) + " of samples", allowed, now);
        }
        long peak = quiet.peak();
        if (peak >= to) {
            return hold(current, "at most " + peak + " in use over " + Durations.format(policy.lowerAfter())
                    + "; lowering to " + to + " would leave none spare", allowed, now);
        }
        return new Decision(Direction.LOWER, current, to, "at most " + peak + " of " + current + " in use, no waits and no "
                + "timeouts over " + Durations.format(policy.lowerAfter()), allowed, now);
    }

    /**
     * A pool's quiet stretch as a decision reads it.
     *
     * @param since when the stretch began: the pool's first sample, its last change, or its last sample with a timeout, a
     *        caller waiting or a checkout p95 above the wait target, whichever came last; empty before the first sample
     * @param disturbed whether it began at a sample with waits or timeouts
     * @param peak the most connections in use in its samples within {@code lower-after}
     */
    public record Quiet(Optional<Instant> since, boolean disturbed, long peak) {

        /** The stretch of these samples, oldest first, as a decision at {@code now} with this policy reads it. */
        public static Quiet of(List<PoolSnapshot> samples, PoolSettings.Autosize policy, Instant now) {
            QuietStretch stretch = new QuietStretch();
            samples.forEach(s -> stretch.add(s, policy.waitTarget()));
            return stretch.view(now, policy.lowerAfter());
        }
    }

    /**
     * A pool's quiet stretch, kept sample by sample so that deciding on a lowering decodes no history: when it began, and
     * the peak use over the last {@code lower-after} as a monotone queue (each sample kept only while no later one used
     * as many connections). Written by one thread.
     */
    public static final class QuietStretch {
        private Instant since;
        private boolean disturbed;
        /** {epoch millis, connections in use}, the counts decreasing from the first. */
        private final ArrayDeque<long[]> peaks = new ArrayDeque<>();

        /** One more sample: one with waits or timeouts begins the stretch again. */
        public void add(PoolSnapshot s, Duration waitTarget) {
            if (s.interval().timeouts() > 0 || s.awaiting() > 0 || p95(s) > waitTarget.toMillis()) {
                since = s.takenAt();
                disturbed = true;
                peaks.clear();
                return;
            }
            if (since == null) {
                since = s.takenAt();
            }
            while (!peaks.isEmpty() && peaks.peekLast()[1] <= s.active()) {
                peaks.pollLast();
            }
            peaks.addLast(new long[] { s.takenAt().toEpochMilli(), s.active() });
        }

        /** Begins the stretch again at a change of the max-size. */
        public void restart(Instant at) {
            since = at;
            disturbed = false;
            peaks.clear();
        }

        /** The stretch as a decision at {@code now} reads it, its peak over the last {@code window}. */
        public Quiet view(Instant now, Duration window) {
            long from = now.minus(window).toEpochMilli();
            while (!peaks.isEmpty() && peaks.peekFirst()[0] < from) {
                peaks.pollFirst();
            }
            return new Quiet(Optional.ofNullable(since), disturbed, peaks.isEmpty() ? 0 : peaks.peekFirst()[1]);
        }
    }

    /** What says the pool is too small in the raise window: timeouts, a checkout p95 above target, callers waiting at max. */
    static Optional<String> pressure(PoolSettings.Autosize policy, int current, List<PoolSnapshot> recent) {
        if (recent.isEmpty()) {
            return Optional.empty();
        }
        long timeouts = 0;
        double p95 = 0;
        for (PoolSnapshot s : recent) {
            timeouts += s.interval().timeouts();
            p95 = Math.max(p95, p95(s));
        }
        PoolSnapshot newest = recent.get(recent.size() - 1);
        Duration window = Duration.between(recent.get(0).takenAt(), newest.takenAt());
        String over = window.isZero() ? "in the last sample" : "over " + Durations.format(window);
        if (timeouts > 0) {
            return Optional.of(String.format("%d acquisition timeout%s %s, checkout p95 %.0f ms", timeouts,
                    timeouts == 1 ? "" : "s", over, p95));
        }
        if (p95 > policy.waitTarget().toMillis()) {
            return Optional.of(String.format("checkout p95 %.0f ms %s, above the wait-target %s", p95, over,
                    Durations.format(policy.waitTarget())));
        }
        if (newest.awaiting() > 0 && newest.active() >= current) {
            return Optional.of(newest.awaiting() + " callers waiting with all " + current + " connections in use");
        }
        return Optional.empty();
    }

    private static double p95(PoolSnapshot s) {
        return s.checkout() == null || s.checkout().count() == 0 ? 0 : s.checkout().p95();
    }

    private static Decision hold(int current, String reason, OptionalInt allowed, Instant now) {
        return new Decision(Direction.HOLD, current, current, reason, allowed, now);
    }
}
