package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.PoolRole;
import io.poolwatch.pool.Distribution;
import io.poolwatch.pool.PoolCounters;

class PoolHistoryTest {

    private static PoolSnapshot at(long second) {
        return new PoolSnapshot("main", "main", PoolRole.PRIMARY, Instant.ofEpochSecond(second), 1, 10, 0, 0, 0, 0, 0, 0,
                PoolCounters.ZERO,
                PoolCounters.ZERO, 0, Distribution.EMPTY, Distribution.EMPTY, 0, 0, 0, 0);
    }

    @Test
    void keepsTheNewestUpToItsCapacityOldestFirst() {
        PoolHistory history = new PoolHistory(3);
        assertTrue(history.latest().isEmpty());
        for (long s = 1; s <= 5; s++) {
            history.add(at(s));
        }
        assertEquals(3, history.size());
        List<Long> seconds = history.snapshots().stream().map(p -> p.takenAt().getEpochSecond()).toList();
        assertEquals(List.of(3L, 4L, 5L), seconds);
        assertEquals(5, history.latest().orElseThrow().takenAt().getEpochSecond());
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new PoolHistory(0));
    }

    /** Awkward values: negative, the largest longs, NaN, -0.0, fractions that are not thousandths, nanoseconds. */
    private static PoolSnapshot awkward(int i) {
        return new PoolSnapshot("main", "main", PoolRole.PRIMARY, Instant.ofEpochSecond(1_764_806_400L + i, 123_456_789), 0,
                Integer.MAX_VALUE,
                -1, Long.MAX_VALUE, Long.MIN_VALUE, 3, 70_000, 2.0 / 3,
                new PoolCounters(Long.MAX_VALUE, 1L << 40, 5, 0, 1, 2, 3, 4, 5, 6, 7, 8),
                new PoolCounters(-3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Double.NaN,
                new Distribution(7, 0.1234567, 1.5, 2.049, 1e15, -0.0),
                new Distribution(1, Double.MIN_VALUE, Double.MAX_VALUE, Double.POSITIVE_INFINITY, 0.001, 123.456), i,
                Long.MAX_VALUE - i, 9,
                Double.NEGATIVE_INFINITY);
    }

    @Test
    void everySnapshotComesBackEqualToWhatWasAdded() {
        PoolHistory history = new PoolHistory(8);
        List<PoolSnapshot> added = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            PoolSnapshot s = i % 2 == 0 ? awkward(i) : at(100 + i);
            added.add(s);
            history.add(s);
        }
        assertEquals(added, history.snapshots());
        for (int i = 0; i < 8; i++) {
            PoolSnapshot s = added.get(i);
            assertEquals(s, SnapshotCodec.decode(SnapshotCodec.encode(s), s.pool(), s.workload(), s.role()), "snapshot " + i);
        }
        assertTrue(SnapshotCodec.encode(at(1)).length <= 48,
                "an idle snapshot is a few dozen bytes: " + SnapshotCodec.encode(at(1)).length);
    }

    @Test
    void aSnapshotOfAnotherWorkloadOrRoleIsKeptAsItIs() {
        PoolHistory history = new PoolHistory(4);
        history.add(at(1));
        PoolSnapshot replica = new PoolSnapshot("main", "main", PoolRole.REPLICA, Instant.ofEpochSecond(2), 1, 10, 0, 0, 0, 0,
                0, 0,
                PoolCounters.ZERO, PoolCounters.ZERO, 0, Distribution.EMPTY, Distribution.EMPTY, 0, 0, 0, 0);
        history.add(replica);
        history.add(at(3));
        assertEquals(List.of(at(1), replica, at(3)), history.snapshots());
        assertEquals(at(3), history.latest().orElseThrow());
    }

    @Test
    void theNewestFewAndThoseSinceAMomentAreReadWithoutTheRest() {
        PoolHistory history = new PoolHistory(5);
        assertEquals(List.of(), history.newest(2));
        assertEquals(List.of(), history.since(Instant.EPOCH));
        for (long s = 1; s <= 7; s++) {
            history.add(at(s));
        }
        assertEquals(List.of(at(6), at(7)), history.newest(2));
        assertEquals(List.of(at(3), at(4), at(5), at(6), at(7)), history.newest(9), "no more than it keeps");
        assertEquals(List.of(at(5), at(6), at(7)), history.since(Instant.ofEpochSecond(5)), "at or after");
        assertEquals(history.snapshots(), history.since(Instant.EPOCH));
        assertEquals(List.of(), history.since(Instant.ofEpochSecond(8)));
    }

    @Test
    void theCardsPointsAreWhatTheWholeSnapshotsSay() {
        PoolHistory history = new PoolHistory(6);
        for (int i = 0; i < 9; i++) {
            history.add(i % 3 == 0 ? awkward(i) : at(200 + i));
        }
        assertEquals(history.snapshots().stream().map(PoolPoint::of).toList(), history.points());
        PoolSnapshot busy = awkward(3);
        assertEquals(PoolPoint.of(busy), SnapshotCodec.point(SnapshotCodec.encode(busy)));
    }
}
