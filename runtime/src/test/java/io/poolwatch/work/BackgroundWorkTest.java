package io.poolwatch.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackgroundWorkTest {

    private static final Duration SHORT = Duration.ofMillis(10);
    private final BackgroundWork work = new BackgroundWork();

    @AfterEach
    void close() {
        work.close();
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(10, TimeUnit.SECONDS), what);
    }

    @Test
    void aPeriodicTaskRunsAgainAfterOneThatThrows() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        AtomicInteger runs = new AtomicInteger();
        work.every("flaky", Duration.ZERO, SHORT, work.lane("flaky", 1), () -> {
            runs.incrementAndGet();
            three.countDown();
            throw new IllegalStateException("every run fails");
        });
        await(three, "a task that throws still runs at its next time");
        assertTrue(runs.get() >= 3);
    }

    @Test
    void runsNeverOverlapAndAreNamedAfterTheirLaneAndTask() throws Exception {
        List<String> names = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch five = new CountDownLatch(5);
        work.every("pool sampling", Duration.ZERO, Duration.ofMillis(1), work.lane("pool-sampler", 1), () -> {
            if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            names.add(Thread.currentThread().getName());
            try {
                Thread.sleep(5); // longer than the period: a fixed delay still never overlaps two runs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            five.countDown();
        });
        await(five, "five runs");
        assertEquals(0, overlaps.get());
        assertEquals("poolwatch-pool-sampler: pool sampling", names.get(0));
        CountDownLatch timer = new CountDownLatch(1);
        List<String> timerName = new CopyOnWriteArrayList<>();
        work.once("overdue validations", Duration.ZERO, () -> {
            timerName.add(Thread.currentThread().getName());
            timer.countDown();
        });
        await(timer, "a one-off task on the timer");
        assertEquals(List.of("poolwatch-timer: overdue validations"), timerName);
    }

    @Test
    void aBlockedLaneHoldsUpOnlyItself() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BackgroundWork.Lane hung = work.lane("health-validator hung", 1);
        hung.execute("validation", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CountDownLatch other = new CountDownLatch(3);
        work.every("validation round", Duration.ZERO, SHORT, work.lane("health-validator other", 1), other::countDown);
        await(other, "another lane's work runs while one lane is blocked");
        Future<?> queued = hung.submit("validation", () -> {
        });
        assertFalse(queued.isDone(), "the blocked lane's next work waits behind it");
        release.countDown();
        queued.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSamplerRunsInItsOwnLaneOnlyWhileItsGuardSaysSo() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicBoolean enabled = new AtomicBoolean(false);
        List<String> names = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        work.everyInOwnLane("server-sampler", "server session views", Duration.ofMillis(20), enabled::get, () -> {
            names.add(Thread.currentThread().getName());
            runs.incrementAndGet();
            two.countDown();
        });
        // A marker planned well after several of the sampler's times: while the guard says no, nothing ran.
        CountDownLatch marker = new CountDownLatch(1);
        work.once("marker", Duration.ofMillis(150), marker::countDown);
        await(marker, "the marker");
        assertEquals(0, runs.get());
        enabled.set(true);
        await(two, "two runs once the guard says yes");
        assertEquals("poolwatch-server-sampler: server session views", names.get(0));
    }

    @Test
    void aCancelledTaskDoesNotRunAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        BackgroundWork.Periodic p = work.every("counted", Duration.ZERO, Duration.ofMillis(200), () -> {
            runs.incrementAndGet();
            first.countDown();
        });
        await(first, "the first run");
        p.cancel();
        // A marker planned after the cancelled task's next time has run: the timer has passed that time.
        CountDownLatch later = new CountDownLatch(1);
        work.once("marker", Duration.ofMillis(400), later::countDown);
        await(later, "the marker");
        assertEquals(1, runs.get());
    }

    @Test
    void aLaneQueueIsBounded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BackgroundWork.Lane lane = work.lane("bounded", 1);
        lane.execute("blocker", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < BackgroundWork.QUEUE_BOUND; i++) {
            lane.execute("queued", () -> {
            });
        }
        assertThrows(RejectedExecutionException.class, () -> lane.execute("one too many", () -> {
        }));
        release.countDown();
        assertTrue(lane.drain(Duration.ofSeconds(10)), "the queued work finishes within the grace");
    }

    @Test
    void drainFinishesWhatWasHandedOverAndAStoppedLaneIsReplaced() throws Exception {
        BackgroundWork.Lane lane = work.lane("outbox", 1);
        assertSame(lane, work.lane("outbox", 1), "asked again, the same lane");
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            lane.execute("write", done::incrementAndGet);
        }
        assertTrue(lane.drain(Duration.ofSeconds(10)));
        assertEquals(20, done.get());
        assertThrows(RejectedExecutionException.class, () -> lane.execute("late", done::incrementAndGet));
        BackgroundWork.Lane again = work.lane("outbox", 1);
        assertNotSame(lane, again, "a stopped lane is replaced by a new one");
        again.submit("write", done::incrementAndGet).get(10, TimeUnit.SECONDS);
        assertEquals(21, done.get());
    }

    @Test
    void drainInterruptsWorkThatOverrunsTheGrace() throws Exception {
        BackgroundWork.Lane lane = work.lane("webhook", 1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        lane.execute("delivery", () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        await(started, "the delivery started");
        assertFalse(lane.drain(Duration.ofMillis(50)), "it did not finish within the grace");
        await(interrupted, "it was interrupted");
    }

    @Test
    void closedWorkTakesNothingNew() {
        BackgroundWork.Lane lane = work.lane("alerting", 1);
        work.close();
        assertTrue(work.closed());
        assertTrue(lane.stopped());
        assertTrue(work.once("late", Duration.ZERO, () -> {
        }).isEmpty());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> work.lane("cluster", 1));
        assertTrue(e.getMessage().contains("cluster"), e.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class, () -> work.lane("check", 0));
        assertEquals("lane check: threads=0; accepted: 1 or more", threads.getMessage());
        IllegalArgumentException period = assertThrows(IllegalArgumentException.class,
                () -> work.every("pool sampling", Duration.ZERO, Duration.ZERO, () -> {
                }));
        assertEquals("pool sampling: period=PT0S; accepted: a duration above zero", period.getMessage());
    }
}
