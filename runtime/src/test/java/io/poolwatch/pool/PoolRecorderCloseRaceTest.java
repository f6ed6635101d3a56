package io.poolwatch.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;

/**
 * A closed connection's counts move from the live set to the closed totals while the sampler reads them (Agroal
 * destroys connections on its housekeeping thread). A reader must never see the move half done: with no connection
 * leased, {@code leased()} is 0 at every instant.
 */
class PoolRecorderCloseRaceTest {

    private static final int CONNECTIONS = 20_000;

    @Test
    void aConnectionClosedWhileTheCountsAreReadIsNeverALease() throws Exception {
        PoolRecorder recorder = new PoolRecorder("race", Duration.ZERO, Clock.systemUTC());
        StatementRecorder statements = new StatementRecorder("race", DatabaseKind.H2, Duration.ofSeconds(1), false,
                Clock.systemUTC());
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicLong phantomLeases = new AtomicLong();
        CountDownLatch reading = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            reading.countDown();
            do {
                if (recorder.leased() != 0) {
                    phantomLeases.incrementAndGet();
                }
                reads.incrementAndGet();
            } while (!done.get());
        }, "leased-reader");
        reader.start();
        // The closes start once the reader reads, however late the machine schedules it.
        assertTrue(reading.await(30, TimeUnit.SECONDS), "the reader started");
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                TimedConnection c = new TimedConnection(null, statements);
                // Each connection carries hand-outs that all came back, so no lease exists at any instant;
                // only its close races with the reader.
                c.acquire();
                c.release();
                recorder.onConnectionCreation(c);
                recorder.onConnectionDestroy(c);
            }
        } finally {
            done.set(true);
            reader.join(10_000);
        }
        assertTrue(reads.get() > 0, "the reader ran");
        assertEquals(0, phantomLeases.get(), "reads that saw a lease while none was held, of " + reads.get());
        PoolCounters counters = recorder.counters();
        assertEquals(CONNECTIONS, counters.destroyed());
        assertEquals(counters.acquired(), counters.returned());
    }

    @Test
    void aConnectionClosedBeforeItsFlushOnReturnIsReportedHoldsNoLease() {
        PoolRecorder recorder = new PoolRecorder("race", Duration.ZERO, Clock.systemUTC());
        StatementRecorder statements = new StatementRecorder("race", DatabaseKind.H2, Duration.ofSeconds(1), false,
                Clock.systemUTC());
        TimedConnection c = new TimedConnection(null, statements);
        recorder.onConnectionCreation(c);
        recorder.onConnectionAcquire(c);
        assertEquals(1, recorder.leased());
        // Returned past its max lifetime: Agroal takes it out of the pool and its housekeeping thread closes it,
        // here before the returning thread reports the flush.
        recorder.onConnectionDestroy(c);
        recorder.onConnectionFlush(c);
        assertEquals(0, recorder.leased());
        PoolCounters counters = recorder.counters();
        assertEquals(1, counters.acquired());
        assertEquals(counters.acquired(), counters.returned());
        assertEquals(1, counters.flushed());
    }
}
