package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

import io.poolwatch.config.PoolRole;
import io.poolwatch.pool.Distribution;
import io.poolwatch.pool.PoolCounters;

/**
 * The heap of one pool's hour of history (720 snapshots at the 5 s default), measured with JOL, as docs/PERFORMANCE.md
 * ("Scale curve: 4 to 400 pools") states it: an idle pool and a busy one, whose every snapshot has counts and
 * distributions of its own; kept encoded ({@link SnapshotCodec}), the busy hour is a quarter of what it was as objects.
 */
class PoolHistoryMemoryTest {

    static {
        // Snapshots are records, whose field offsets Unsafe does not give: JOL then finds them its other way.
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private static final int HOUR_AT_5S = 720;
    private static final String NAME = "p001";
    private static final Instant START = Instant.parse("2026-12-03T00:00:00Z");

    private static PoolSnapshot snapshot(int i, PoolCounters totals, PoolCounters interval, Distribution checkout,
            Distribution lease) {
        return new PoolSnapshot(NAME, NAME, PoolRole.PRIMARY, START.plusSeconds(5L * i), 0, 2, 0, 0, 0, 0, 0, 0, totals,
                interval, 0,
                checkout,
                lease, 0, totals.acquired(), 0, 0);
    }

    private static PoolCounters counts(long n) {
        return new PoolCounters(n, n, n, 0, 0, 1, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void sharedReturnsTheKnownInstanceForAnEqualValueAndTheCandidateOtherwise() {
        PoolCounters previous = counts(7);
        assertSame(previous, PoolSampler.shared(counts(7), previous));
        PoolCounters changed = counts(8);
        assertSame(changed, PoolSampler.shared(changed, previous));
        assertSame(PoolCounters.ZERO, PoolSampler.shared(counts(8).minus(counts(8)), PoolCounters.ZERO));
        assertSame(Distribution.EMPTY, PoolSampler.shared(new Distribution(0, 0, 0, 0, 0, 0), Distribution.EMPTY));
    }

    @Test
    void anHourOfAnIdlePoolCostsTheSnapshotsAloneAndABusyOneItsCountsAndDistributionsToo() {
        long empty = GraphLayout.parseInstance(new PoolHistory(HOUR_AT_5S)).totalSize();

        PoolHistory idle = new PoolHistory(HOUR_AT_5S);
        PoolCounters totals = counts(3);
        for (int i = 0; i < HOUR_AT_5S; i++) {
            idle.add(snapshot(i, totals, PoolCounters.ZERO, Distribution.EMPTY, Distribution.EMPTY));
        }
        // The shared objects (names, ZERO, EMPTY, the one totals) exist once whatever the pool count; counted here once.
        long idleBytes = GraphLayout.parseInstance(idle).totalSize();

        PoolHistory busy = new PoolHistory(HOUR_AT_5S);
        for (int i = 0; i < HOUR_AT_5S; i++) {
            busy.add(snapshot(i, counts(1_000L * i), counts(1_000), new Distribution(1_000, 1.5, 1, 3, 4, 9 + i),
                    new Distribution(1_000, 2.5, 2, 5, 8, 19 + i)));
        }
        long busyBytes = GraphLayout.parseInstance(busy).totalSize();
        System.out.printf("pool history: ring of %d %d bytes; an hour of an idle pool %d bytes, of a busy pool %d bytes%n",
                HOUR_AT_5S, empty,
                idleBytes, busyBytes);

        assertEquals(HOUR_AT_5S, busy.size());
        // Measured 49,560 and 84,112 bytes (PERFORMANCE.md): the ring, the newest snapshot as an object and 719 encodings
        // of 40 to 100 bytes; as objects they took 118,504 and 371,656 bytes (a busy snapshot's two counts and two
        // distributions of its own: 516 bytes).
        assertTrue(idleBytes <= 55_000, "an idle pool's hour: " + idleBytes + " bytes");
        assertTrue(busyBytes <= 90_000, "a busy pool's hour: " + busyBytes + " bytes");
        assertEquals(busy.snapshots().get(HOUR_AT_5S - 2),
                snapshot(HOUR_AT_5S - 2, counts(1_000L * (HOUR_AT_5S - 2)), counts(1_000),
                        new Distribution(1_000, 1.5, 1, 3, 4, 9 + HOUR_AT_5S - 2),
                        new Distribution(1_000, 2.5, 2, 5, 8, 19 + HOUR_AT_5S - 2)),
                "what was measured decodes to what was added");
    }

    @Test
    void theErrorRateWindowReadsOnlyTheSnapshotsAfterItsStart() {
        PoolHistory history = new PoolHistory(HOUR_AT_5S);
        for (int i = 0; i < 100; i++) {
            PoolCounters interval = new PoolCounters(10, 9, 9, 1, 0, 0, 0, 0, 0, 0, 0, 0);
            history.add(snapshot(i, counts(10L * i), interval, Distribution.EMPTY, Distribution.EMPTY));
        }
        // Snapshots 0..99 at 5 s apart; after second 440 are 89..99, eleven of them.
        long[] window = history.attemptsAndFailuresAfter(START.plusSeconds(440));
        assertEquals(110, window[0]);
        assertEquals(11, window[1]);
        long[] none = history.attemptsAndFailuresAfter(START.plusSeconds(495));
        assertEquals(0, none[0]);
        long[] all = history.attemptsAndFailuresAfter(START.minusSeconds(1));
        assertEquals(1_000, all[0]);
        assertEquals(100, all[1]);
    }
}
