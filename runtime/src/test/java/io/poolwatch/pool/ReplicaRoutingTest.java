package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.ReadStrategy;

/** The routing decisions without a database: the pickers' exact sequences, and why a replica is skipped. */
class ReplicaRoutingTest {

    private static final boolean[] ALL3 = { true, true, true };

    private static String picks(ReplicaPicker picker, int count, boolean[] usable) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int p = picker.pick(usable);
            sb.append(p < 0 ? "-" : String.valueOf((char) ('a' + p)));
        }
        return sb.toString();
    }

    @Test
    void smoothWeightedRoundRobinGivesNginxsSequence() {
        // nginx's own example: weights 5, 1, 1 give a a b a c a a, and the cycle repeats.
        ReplicaPicker picker = ReplicaPicker.of(ReadStrategy.WEIGHTED, new int[] { 5, 1, 1 });
        assertEquals("aabacaa" + "aabacaa" + "aabacaa", picks(picker, 21, ALL3));
    }

    @Test
    void weightsThreeToOneInterleave() {
        ReplicaPicker picker = ReplicaPicker.of(ReadStrategy.WEIGHTED, new int[] { 3, 1 });
        assertEquals("aaba".repeat(5), picks(picker, 20, new boolean[] { true, true }));
    }

    @Test
    void equalWeightsAreARoundRobin() {
        ReplicaPicker picker = ReplicaPicker.of(ReadStrategy.WEIGHTED, new int[] { 2, 2, 2 });
        assertEquals("abcabcabc", picks(picker, 9, ALL3));
    }

    @Test
    void aSkippedReplicaLeavesTheOthersInProportion() {
        ReplicaPicker picker = ReplicaPicker.of(ReadStrategy.WEIGHTED, new int[] { 5, 1, 1 });
        boolean[] withoutB = { true, false, true };
        assertEquals("aaacaa".repeat(3), picks(picker, 18, withoutB));
        // Back in routing, b takes its share again: one in seven over a full cycle.
        String cycle = picks(picker, 7, ALL3);
        assertEquals(5, cycle.chars().filter(c -> c == 'a').count(), cycle);
        assertEquals(1, cycle.chars().filter(c -> c == 'b').count(), cycle);
        assertEquals(1, cycle.chars().filter(c -> c == 'c').count(), cycle);
    }

    @Test
    void weightZeroIsNeverPickedAndNothingUsableIsMinusOne() {
        ReplicaPicker picker = ReplicaPicker.of(ReadStrategy.WEIGHTED, new int[] { 0, 1 });
        assertEquals("bbbb", picks(picker, 4, new boolean[] { true, true }));
        assertEquals("--", picks(picker, 2, new boolean[] { true, false }));
        assertEquals("--",
                picks(ReplicaPicker.of(ReadStrategy.WEIGHTED, new int[] { 1, 1 }), 2, new boolean[] { false, false }));
    }

    @Test
    void weightedSharesHoldOverManyPicksWhateverTheWeights() {
        int[] weights = { 7, 3, 1, 9 };
        ReplicaPicker picker = ReplicaPicker.of(ReadStrategy.WEIGHTED, weights);
        int[] counts = new int[4];
        boolean[] usable = { true, true, true, true };
        for (int i = 0; i < 20 * 100; i++) {
            counts[picker.pick(usable)]++;
        }
        // Exact after whole cycles of the total weight (20): smooth weighted round-robin is deterministic.
        for (int i = 0; i < weights.length; i++) {
            assertEquals(weights[i] * 100, counts[i]);
        }
    }

    @Test
    void roundRobinTakesEachUsableReplicaInTurn() {
        ReplicaPicker picker = ReplicaPicker.of(ReadStrategy.ROUND_ROBIN, new int[] { 5, 1, 1 });
        assertEquals("abcabc", picks(picker, 6, ALL3));
        assertEquals("acac", picks(picker, 4, new boolean[] { true, false, true }));
        // After c, b is back: the turn goes on from c, not from the start.
        assertEquals("abc", picks(picker, 3, ALL3));
        assertEquals("---", picks(picker, 3, new boolean[3]));
    }

    @Test
    void roundRobinWithAReplicaDownDoesNotFavourTheNextOne() {
        ReplicaPicker picker = ReplicaPicker.of(ReadStrategy.ROUND_ROBIN, new int[] { 1, 1, 1 });
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(picks(picker, 1, new boolean[] { true, false, true }));
        }
        assertEquals(List.of("a", "c", "a", "c", "a", "c"), seen);
    }

    // --- why a replica is skipped -----------------------------------------------------------------------------------

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static ReplicaCondition up(Optional<Double> lag, boolean stopped) {
        return new ReplicaCondition(ReplicaCondition.Reachability.UP, Optional.of(T0), lag, Optional.empty(), stopped, "test");
    }

    private static ReplicaUsability judge(int weight, ReplicaCondition c, Optional<Duration> maxLag, Optional<Instant> failure,
            long leased,
            long awaiting) {
        return ReplicaUsability.judge(weight, c, maxLag, failure, leased, 10, awaiting);
    }

    @Test
    void aHealthyReplicaWithinItsLagIsUsable() {
        assertEquals(ReplicaUsability.USABLE,
                judge(1, up(Optional.of(2.0), false), Optional.of(Duration.ofSeconds(10)), Optional.empty(), 3, 0));
        assertEquals(ReplicaUsability.USABLE,
                judge(1, up(Optional.of(10.0), false), Optional.of(Duration.ofSeconds(10)), Optional.empty(), 3, 0),
                "at the bound is within it");
    }

    @Test
    void unreachableAndNotYetValidatedReplicasAreSkipped() {
        ReplicaCondition down = new ReplicaCondition(ReplicaCondition.Reachability.DOWN, Optional.of(T0), Optional.empty(),
                Optional.empty(),
                false, "connection refused");
        assertEquals(ReplicaUsability.UNREACHABLE, judge(1, down, Optional.empty(), Optional.empty(), 0, 0));
        assertEquals(ReplicaUsability.PENDING, judge(1, ReplicaCondition.pending(), Optional.empty(), Optional.empty(), 0, 0));
    }

    @Test
    void lagOverTheBoundOrStoppedReplicationIsSkippedUnknownLagIsNot() {
        Optional<Duration> max = Optional.of(Duration.ofSeconds(10));
        assertEquals(ReplicaUsability.LAGGING, judge(1, up(Optional.of(10.5), false), max, Optional.empty(), 0, 0));
        assertEquals(ReplicaUsability.LAGGING, judge(1, up(Optional.empty(), true), max, Optional.empty(), 0, 0));
        assertEquals(ReplicaUsability.USABLE, judge(1, up(Optional.empty(), false), max, Optional.empty(), 0, 0),
                "a lag that cannot be read (not permitted) does not take a replica out");
        assertEquals(ReplicaUsability.USABLE, judge(1, up(Optional.of(3600.0), true), Optional.empty(), Optional.empty(), 0, 0),
                "without max-lag, lag never matters");
    }

    @Test
    void exhaustedMeansEveryConnectionLeasedWithCallersWaiting() {
        assertEquals(ReplicaUsability.EXHAUSTED,
                judge(1, up(Optional.of(0.0), false), Optional.empty(), Optional.empty(), 10, 1));
        assertEquals(ReplicaUsability.USABLE, judge(1, up(Optional.of(0.0), false), Optional.empty(), Optional.empty(), 10, 0),
                "all leased but nobody waiting yet: the next caller may get one returned");
        assertEquals(ReplicaUsability.USABLE, judge(1, up(Optional.of(0.0), false), Optional.empty(), Optional.empty(), 9, 4));
    }

    @Test
    void aFailureSkipsTheReplicaUntilItsNextSuccessfulValidation() {
        Optional<Instant> failedAfter = Optional.of(T0.plusSeconds(1));
        assertEquals(ReplicaUsability.FAILED, judge(1, up(Optional.empty(), false), Optional.empty(), failedAfter, 0, 0));
        ReplicaCondition validatedLater = new ReplicaCondition(ReplicaCondition.Reachability.UP, Optional.of(T0.plusSeconds(2)),
                Optional.empty(), Optional.empty(), false, "test");
        assertEquals(ReplicaUsability.USABLE, judge(1, validatedLater, Optional.empty(), failedAfter, 0, 0));
    }

    @Test
    void weightZeroDrainsAReplicaWhateverItsState() {
        assertEquals(ReplicaUsability.DRAINED, judge(0, up(Optional.of(0.0), false), Optional.empty(), Optional.empty(), 0, 0));
        assertEquals(ReplicaUsability.DRAINED, judge(0, ReplicaCondition.pending(), Optional.empty(), Optional.empty(), 0, 0));
        assertEquals(false, ReplicaUsability.DRAINED.skip());
        assertEquals(true, ReplicaUsability.LAGGING.skip());
    }
}
