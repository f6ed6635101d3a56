package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.PoolSettings;
import io.poolwatch.pool.Distribution;
import io.poolwatch.pool.PoolCounters;

/**
 * What autosizing costs per pool and evaluation, as {@link Autosizer} reads it: the raise window's snapshots and the
 * samples since the last evaluation, decoded from each pool's history, folded into its quiet stretch, then the decision.
 * 400 quiet pools with an hour of 5 s samples each, at the built-in policy, so that every one is considered for a
 * lowering (the dearer case); the thread's CPU time is printed as a figure (docs/PERFORMANCE.md, "Autosizing: its own
 * cost").
 */
class AutosizingCostTest {

    static final int POOLS = 400;
    static final Duration INTERVAL = Duration.ofSeconds(5);

    @Test
    void quietPoolsAreEachDecidedFromTheirHistory() {
        PoolSettings.Autosize policy = PoolSettings.Autosize.off(2);
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        List<PoolHistory> histories = new ArrayList<>();
        for (int p = 0; p < POOLS; p++) {
            PoolHistory h = new PoolHistory(720);
            for (int i = 719; i >= 0; i--) {
                long active = (i + p) % 4;
                // Each sample its own counts and checkout times, as a pool in use has.
                PoolCounters interval = new PoolCounters(40 + i % 7, 40 + i % 7, 40 + i % 7, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                Distribution checkout = new Distribution(40 + i % 7, 0.2, 0.1, 1 + i % 3, 2, 3);
                h.add(new PoolSnapshot("pool-" + p, "pool-" + p, io.poolwatch.config.PoolRole.PRIMARY,
                        now.minus(INTERVAL.multipliedBy(i)), 2, 20, active, 2, active + 2, 0, 6, active / 20.0,
                        PoolCounters.ZERO, interval, 0, checkout, Distribution.EMPTY, 0, 1000L * i, 0, 0.4));
            }
            histories.add(h);
        }
        // As the autosizer keeps it: each pool's quiet stretch folded from its history once, then sample by sample.
        List<Autosizing.QuietStretch> quiet = new ArrayList<>();
        List<Instant> lastSeen = new ArrayList<>();
        for (PoolHistory h : histories) {
            List<PoolSnapshot> start = h.since(now.minus(policy.lowerAfter().plus(INTERVAL)));
            Autosizing.QuietStretch stretch = new Autosizing.QuietStretch();
            start.forEach(x -> stretch.add(x, policy.waitTarget()));
            quiet.add(stretch);
            lastSeen.add(start.get(start.size() - 1).takenAt());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int lowered = 0;
        long best = Long.MAX_VALUE;
        for (int round = 1; round <= 10; round++) {
            // The sampler's part, not counted: one more sample of every pool.
            Instant at = now.plus(INTERVAL.multipliedBy(round));
            for (int p = 0; p < POOLS; p++) {
                PoolSnapshot last = histories.get(p).latest().orElseThrow();
                histories.get(p).add(new PoolSnapshot(last.pool(), last.workload(), last.role(), at, 2, 20, 1, 2, 3, 0, 6,
                        0.05, PoolCounters.ZERO, last.interval(), 0, last.checkout(), Distribution.EMPTY, 0, 0, 0, 0.4));
            }
            long before = threads.getCurrentThreadCpuTime();
            lowered = 0;
            for (int p = 0; p < POOLS; p++) {
                PoolHistory h = histories.get(p);
                Instant newest = h.latest().orElseThrow().takenAt();
                List<PoolSnapshot> recent = h.since(newest.minus(policy.raiseCooldown()));
                for (PoolSnapshot s : h.since(lastSeen.get(p))) {
                    if (s.takenAt().isAfter(lastSeen.get(p))) {
                        quiet.get(p).add(s, policy.waitTarget());
                        lastSeen.set(p, s.takenAt());
                    }
                }
                Autosizing.Decision d = Autosizing.decide(policy, 20, recent, quiet.get(p).view(at, policy.lowerAfter()),
                        Optional.empty(),
                        OptionalInt.of(100), "", at);
                if (d.direction() == Autosizing.Direction.LOWER) {
                    lowered++;
                }
            }
            best = Math.min(best, threads.getCurrentThreadCpuTime() - before);
        }
        // Every pool was quiet: each is lowered by a step, from 20 to 18.
        assertEquals(POOLS, lowered);
        System.out.printf(Locale.ROOT, "FIGURE autosizing: %d quiet pools decided in %.2f ms of CPU, %.1f µs a pool (best of "
                + "10 rounds)%n", POOLS, best / 1e6, best / 1e3 / POOLS);
    }
}
