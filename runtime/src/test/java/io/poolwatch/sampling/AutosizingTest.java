package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.AutosizeMode;
import io.poolwatch.config.PoolRole;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.pool.Distribution;
import io.poolwatch.pool.PoolCounters;
import io.poolwatch.sampling.Autosizing.Budget;
import io.poolwatch.sampling.Autosizing.Decision;
import io.poolwatch.sampling.Autosizing.Direction;

/** The sizing computation: when it raises, lowers or holds a pool's max-size, and the budget it stays within. */
class AutosizingTest {

    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    static final PoolSettings.Autosize POLICY = new PoolSettings.Autosize(AutosizeMode.ON, 2, Optional.empty(), 2,
            Duration.ofMillis(100), Duration.ofSeconds(15), Duration.ofMinutes(5));

    /** A snapshot {@code ago} before now with this many in use, waiting, timed out, and this checkout p95 (ms). */
    static PoolSnapshot sample(Duration ago, int max, long active, long awaiting, long timeouts, double p95) {
        PoolCounters interval = new PoolCounters(10, 10 - timeouts, 10 - timeouts, timeouts, timeouts, 0, 0, 0, 0, 0, 0, 0);
        Distribution checkout = p95 == 0 ? Distribution.EMPTY : new Distribution(10, p95 / 2, p95 / 2, p95, p95, p95);
        return new PoolSnapshot("main", "main", PoolRole.PRIMARY, NOW.minus(ago), 2, max, active, 0, active, awaiting, active,
                (double) active / max, PoolCounters.ZERO, interval, 0, checkout, Distribution.EMPTY, 0, 0, 0, 0);
    }

    /** Quiet samples every 5 s over {@code span}, at most {@code peak} in use. */
    static List<PoolSnapshot> quiet(Duration span, int max, long peak) {
        List<PoolSnapshot> out = new ArrayList<>();
        for (long s = span.toSeconds(); s >= 0; s -= 5) {
            out.add(sample(Duration.ofSeconds(s), max, s == 30 ? peak : 1, 0, 0, 3));
        }
        return out;
    }

    static Decision decide(int current, List<PoolSnapshot> recent, List<PoolSnapshot> quiet, Optional<Duration> since,
            OptionalInt allowed) {
        return Autosizing.decide(POLICY, current, recent, Autosizing.Quiet.of(quiet, POLICY, NOW), since, allowed,
                "not read", NOW);
    }

    @Test
    void timeoutsRaiseByAStepWithinTheBudget() {
        List<PoolSnapshot> recent = List.of(sample(Duration.ofSeconds(10), 10, 10, 3, 0, 40),
                sample(Duration.ofSeconds(5), 10, 10, 4, 2, 300), sample(Duration.ZERO, 10, 10, 4, 1, 250));
        Decision d = decide(10, recent, recent, Optional.empty(), OptionalInt.of(30));
        assertEquals(Direction.RAISE, d.direction());
        assertEquals(12, d.to());
        assertTrue(d.reason().startsWith("3 acquisition timeouts over 10s, checkout p95 300 ms"), d.reason());

        // The budget leaves one: raised by one. It leaves none: held, saying why.
        assertEquals(11, decide(10, recent, recent, Optional.empty(), OptionalInt.of(11)).to());
        Decision full = decide(10, recent, recent, Optional.empty(), OptionalInt.of(10));
        assertEquals(Direction.HOLD, full.direction());
        assertTrue(full.reason().endsWith("not raised; the server's budget leaves 10 for this pool"), full.reason());
        // The budget not known: never raised.
        Decision blind = decide(10, recent, recent, Optional.empty(), OptionalInt.empty());
        assertEquals(Direction.HOLD, blind.direction());
        assertTrue(blind.reason().endsWith("not raised: not read"), blind.reason());
    }

    @Test
    void waitsAboveTheTargetRaiseAndTheCeilingAndCooldownHold() {
        List<PoolSnapshot> slow = List.of(sample(Duration.ZERO, 10, 9, 0, 0, 180));
        Decision d = decide(10, slow, slow, Optional.empty(), OptionalInt.of(50));
        assertEquals(Direction.RAISE, d.direction());
        assertTrue(d.reason().contains("checkout p95 180 ms in the last sample, above the wait-target 100ms"), d.reason());
        // Within the cooldown of the last change: held.
        assertEquals(Direction.HOLD,
                decide(10, slow, slow, Optional.of(Duration.ofSeconds(5)), OptionalInt.of(50)).direction());
        // The ceiling: raised only up to it, then held.
        PoolSettings.Autosize capped = new PoolSettings.Autosize(AutosizeMode.ON, 2, Optional.of(11), 2, Duration.ofMillis(100),
                Duration.ofSeconds(15), Duration.ofMinutes(5));
        assertEquals(11, Autosizing.decide(capped, 10, slow, Autosizing.Quiet.of(slow, capped, NOW), Optional.empty(),
                OptionalInt.of(50), "", NOW).to());
        assertEquals(Direction.HOLD,
                Autosizing.decide(capped, 11, slow, Autosizing.Quiet.of(slow, capped, NOW), Optional.empty(),
                        OptionalInt.of(50), "", NOW).direction());
        // Callers waiting with every connection in use, before any wait completes.
        List<PoolSnapshot> waiting = List.of(sample(Duration.ZERO, 10, 10, 5, 0, 0));
        assertEquals(Direction.RAISE, decide(10, waiting, waiting, Optional.empty(), OptionalInt.of(50)).direction());
    }

    @Test
    void aPoolQuietForLowerAfterIsLoweredByAStepDownToItsFloor() {
        Decision d = decide(10, List.of(), quiet(Duration.ofMinutes(5), 10, 4), Optional.empty(), OptionalInt.of(50));
        assertEquals(Direction.LOWER, d.direction());
        assertEquals(8, d.to());
        assertTrue(d.reason().startsWith("at most 4 of 10 in use, no waits and no timeouts over 5m"), d.reason());
        // Less history than lower-after, a change within it, or a peak that would fill the lowered size: held.
        assertEquals(Direction.HOLD,
                decide(10, List.of(), quiet(Duration.ofMinutes(2), 10, 4), Optional.empty(), OptionalInt.of(50)).direction());
        assertEquals(Direction.HOLD, decide(10, List.of(), quiet(Duration.ofMinutes(5), 10, 4),
                Optional.of(Duration.ofMinutes(1)), OptionalInt.of(50)).direction());
        assertEquals(Direction.HOLD,
                decide(10, List.of(), quiet(Duration.ofMinutes(5), 10, 8), Optional.empty(), OptionalInt.of(50)).direction());
        // At the floor: held.
        assertEquals(Direction.HOLD,
                decide(2, List.of(), quiet(Duration.ofMinutes(5), 2, 1), Optional.empty(), OptionalInt.of(50)).direction());
        // One timeout in the quiet window: held.
        List<PoolSnapshot> once = new ArrayList<>(quiet(Duration.ofMinutes(5), 10, 4));
        once.set(3, sample(Duration.ofMinutes(4), 10, 10, 0, 1, 3));
        assertEquals(Direction.HOLD, decide(10, List.of(), once, Optional.empty(), OptionalInt.of(50)).direction());
    }

    @Test
    void thePeakIsThatOfTheLastLowerAfterNotOfTheWholeQuietStretch() {
        // Busy without waits at 12 from 10 to 6 minutes ago, then 2 in use: the stretch is 10 minutes old, its peak 2.
        List<PoolSnapshot> samples = new ArrayList<>();
        for (long s = 600; s >= 0; s -= 5) {
            samples.add(sample(Duration.ofSeconds(s), 12, s > 360 ? 12 : 2, 0, 0, 3));
        }
        Autosizing.Quiet quiet = Autosizing.Quiet.of(samples, POLICY, NOW);
        assertEquals(Optional.of(NOW.minusSeconds(600)), quiet.since());
        assertEquals(2, quiet.peak());
        Decision d = Autosizing.decide(POLICY, 12, List.of(), quiet, Optional.of(Duration.ofMinutes(10)), OptionalInt.of(50),
                "", NOW);
        assertEquals(Direction.LOWER, d.direction());
        assertEquals(10, d.to());
        // A sample with a wait begins the stretch again.
        samples.add(sample(Duration.ZERO, 12, 2, 1, 0, 3));
        assertEquals(Optional.of(NOW), Autosizing.Quiet.of(samples, POLICY, NOW).since());
    }

    @Test
    void overTheBudgetIsLoweredAtOnceButNotBelowTheFloor() {
        List<PoolSnapshot> busy = List.of(sample(Duration.ZERO, 20, 20, 3, 2, 500));
        Decision d = decide(20, busy, busy, Optional.of(Duration.ofSeconds(1)), OptionalInt.of(12));
        assertEquals(Direction.LOWER, d.direction());
        assertEquals(12, d.to());
        assertTrue(d.reason().startsWith("over the server's budget: it leaves 12"), d.reason());
        Decision floor = decide(20, busy, busy, Optional.empty(), OptionalInt.of(-3));
        assertEquals(2, floor.to());
        assertTrue(floor.reason().endsWith("the floor 2 holds"), floor.reason());
    }

    @Test
    void theBudgetIsTheServersSlotsLessOthersSharedByReplicasLessMonitoring() {
        Budget b = new Budget("db:5432", 100, 3, 2, 15, 2, 1, NOW);
        // (100 - 3 - 2 - 15) / 2 - 1
        assertEquals(39, b.forPools());
        assertEquals("budget 39 for the pools (max_connections 100 - 3 reserved - 2 spare - 15 other sessions, / 2 replicas - "
                + "1 monitoring)", b.describe());
        assertEquals(0, new Budget("db:5432", 20, 3, 2, 30, 1, 1, NOW).forPools());
    }
}
