package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.poolwatch.pool.Distribution;
import io.poolwatch.pool.PoolCounters;

class PoolHistoryTest {

    private static PoolSnapshot at(long second) {
        return new PoolSnapshot("main", "main", "primary", Instant.ofEpochSecond(second), 1, 10, 0, 0, 0, 0, 0, 0, PoolCounters.ZERO,
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
}
