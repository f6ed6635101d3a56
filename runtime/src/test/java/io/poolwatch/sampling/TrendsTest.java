package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/** The 24-hour trend store: bucketing, reuse of buckets after a day, its bounds and its memory, on a clock the test moves. */
class TrendsTest {

    /** A clock the test sets. */
    static final class TestClock extends Clock {
        Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A bucket boundary: 2026-01-01T00:00:00Z. */
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void valuesInOneBucketMakeOnePointWithMinMeanMaxAndCount() {
        TestClock clock = new TestClock(START.plus(Duration.ofMinutes(12)));
        Trends trends = new Trends(clock, 10);
        trends.record("pool", "main", "checkout_time", START.plusSeconds(10), 0.1);
        trends.record("pool", "main", "checkout_time", START.plusSeconds(100), 0.3);
        trends.record("pool", "main", "checkout_time", START.plusSeconds(299), 0.2);
        trends.record("pool", "main", "checkout_time", START.plusSeconds(300), 2.0); // the next bucket
        trends.record("pool", "main", "checkout_time", START.plusSeconds(700), Double.NaN); // a gap, not a zero

        List<Trends.Point> points = trends.series("pool", "main", "checkout_time", Duration.ofHours(1)).orElseThrow().points();
        assertEquals(2, points.size(), points.toString());
        Trends.Point first = points.get(0);
        assertEquals(START, first.at());
        assertEquals(3, first.samples());
        assertEquals(0.1, first.min(), 1e-6);
        assertEquals(0.3, first.max(), 1e-6);
        assertEquals(0.2, first.value(), 1e-6);
        assertEquals(START.plusSeconds(300), points.get(1).at());
        assertEquals(2.0, points.get(1).value(), 1e-6);
        assertTrue(trends.series("pool", "main", "utilization", Duration.ofHours(1)).isEmpty(),
                "a figure never recorded has no series");
    }

    @Test
    void afterMoreThanADayOnlyTheLastTwentyFourHoursAreKeptAndTheWindowNarrowsThem() {
        TestClock clock = new TestClock(START);
        Trends trends = new Trends(clock, 10);
        Instant at = START;
        int minutes = 30 * 60; // thirty hours, a sample a minute: every bucket is reused once
        for (int m = 0; m < minutes; m++) {
            at = START.plus(Duration.ofMinutes(m));
            trends.record("pool", "main", "active", at, m);
        }
        clock.now = at;
        List<Trends.Point> day = trends.series("pool", "main", "active", Duration.ofHours(24)).orElseThrow().points();
        assertEquals(Trends.BUCKETS, day.size());
        // The newest bucket holds minutes 1795..1799; the oldest kept starts 24 h before it ends.
        Trends.Point newest = day.get(day.size() - 1);
        assertEquals(START.plus(Duration.ofMinutes(1795)), newest.at());
        assertEquals(1797, newest.value(), 1e-3);
        assertEquals(5, newest.samples());
        Trends.Point oldest = day.get(0);
        assertEquals(START.plus(Duration.ofMinutes(1795)).minus(Duration.ofHours(24)).plus(Trends.BUCKET), oldest.at());
        assertEquals(360, oldest.min(), 1e-3, "nothing of the first six hours is left");
        for (int i = 1; i < day.size(); i++) {
            assertEquals(Trends.BUCKET, Duration.between(day.get(i - 1).at(), day.get(i).at()), "oldest first, one per bucket");
        }
        assertEquals(12, trends.series("pool", "main", "active", Duration.ofHours(1)).orElseThrow().points().size());
        assertEquals(Trends.BUCKETS, trends.series("pool", "main", "active", Duration.ofDays(7)).orElseThrow().points().size(),
                "a window over the span gives the span");

        // A late value older than the span does not overwrite the newer bucket in its slot.
        trends.record("pool", "main", "active", START.plus(Duration.ofMinutes(1799)).minus(Duration.ofHours(24)), -5);
        List<Trends.Point> after = trends.series("pool", "main", "active", Duration.ofHours(24)).orElseThrow().points();
        assertEquals(newest, after.get(after.size() - 1));
        assertEquals(360, after.get(0).min(), 1e-3);

        // A day without values later, nothing is shown though the slots still hold the old numbers.
        clock.now = at.plus(Duration.ofHours(25));
        assertTrue(trends.series("pool", "main", "active", Duration.ofHours(24)).orElseThrow().points().isEmpty());
    }

    @Test
    void everySubjectOfAKindWithThatFigureByName() {
        TestClock clock = new TestClock(START.plusSeconds(60));
        Trends trends = new Trends(clock, 10);
        trends.record("pool", "jobs", "utilization", START, 0.5);
        trends.record("pool", "main", "utilization", START, 0.25);
        trends.record("pool", "analytics", "active", START, 1);
        trends.record("application", "mingus-api", "utilization", START, 0.9);
        List<Trends.Series> pools = trends.series("pool", "utilization", Duration.ofHours(24));
        assertEquals(List.of("jobs", "main"), pools.stream().map(Trends.Series::name).toList());
        assertEquals("ratio (active / max-size)", pools.get(0).unit());
        List<Trends.Series> apps = trends.series("application", "utilization", Duration.ofHours(24));
        assertEquals(List.of("mingus-api"), apps.stream().map(Trends.Series::name).toList());
        trends.forget("pool", "jobs");
        assertEquals(List.of("main"),
                trends.series("pool", "utilization", Duration.ofHours(24)).stream().map(Trends.Series::name).toList());
    }

    @Test
    void unknownKindsFiguresAndNamesAreRefusedNamingWhatIsAccepted() {
        Trends trends = new Trends(new TestClock(START), 10);
        IllegalArgumentException figure = assertThrows(IllegalArgumentException.class,
                () -> trends.record("pool", "main", "sessions", START, 1));
        assertTrue(figure.getMessage().startsWith("figure=sessions: accepted for pool: checkout_time, lease_time, utilization"),
                figure.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> trends.series("pgbouncer", "checkout_time", Duration.ofHours(1)));
        assertEquals("kind=pgbouncer: accepted: pool, application", kind.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trends.record("pool", "", "active", START, 1));
        assertThrows(IllegalArgumentException.class,
                () -> trends.record("pool", "x".repeat(Trends.MAX_NAME + 1), "active", START, 1));
        assertEquals(0, trends.subjects());
    }

    @Test
    void subjectsBeyondTheBoundAreNotKeptAndCounted() {
        Trends trends = new Trends(new TestClock(START.plusSeconds(1)), 3);
        for (int i = 0; i < 5; i++) {
            trends.record("application", "app-" + i, "sessions", START, i);
        }
        assertEquals(3, trends.subjects());
        assertEquals(2, trends.refusedSubjects());
        trends.record("application", "app-0", "sessions", START, 7); // a kept subject still records
        assertEquals(2,
                trends.series("application", "app-0", "sessions", Duration.ofHours(1)).orElseThrow().points().get(0).samples());
        assertTrue(trends.series("application", "app-4", "sessions", Duration.ofHours(1)).isEmpty());
    }

    /**
     * The bytes per subject and figure stated in {@link Trends}' Javadoc and docs/PERFORMANCE.md, measured with JOL; and memory
     * that does not grow with uptime: two days of samples take what the first hour took.
     */
    @Test
    void oneSeriesTakesItsStatedBytesAndMemoryDoesNotGrowWithUptime() {
        TestClock clock = new TestClock(START);
        Trends empty = new Trends(clock, 10);
        long base = GraphLayout.parseInstance(empty).totalSize();

        Trends trends = new Trends(clock, 10);
        trends.record("pool", "main", "active", START, 1);
        long oneSeries = GraphLayout.parseInstance(new Trends.Ring()).totalSize();
        long oneSubject = GraphLayout.parseInstance(trends).totalSize() - base;
        System.out.printf("trends: one series %d bytes; a subject with one series %d bytes%n", oneSeries, oneSubject);
        assertTrue(oneSeries <= 5_900, "one series: " + oneSeries + " bytes");

        for (String figure : Trends.figures("pool").stream().map(Trends.Figure::name).toList()) {
            trends.record("pool", "main", figure, START, 1);
        }
        long hour = 0;
        for (int s = 0; s < 2 * 24 * 3600; s += 5) {
            Instant at = START.plusSeconds(s);
            for (String figure : Trends.figures("pool").stream().map(Trends.Figure::name).toList()) {
                trends.record("pool", "main", figure, at, s % 17);
            }
            if (s == 3600) {
                hour = GraphLayout.parseInstance(trends).totalSize();
            }
        }
        long twoDays = GraphLayout.parseInstance(trends).totalSize();
        long perPool = twoDays - base;
        System.out.printf("trends: a pool's %d figures %d bytes after two days of 5 s samples (%d after one hour)%n",
                Trends.figures("pool").size(), perPool, hour - base);
        assertEquals(hour, twoDays, "memory after two days of samples equals memory after one hour");
        assertTrue(perPool <= 8 * 5_900 + 1_000, "a pool's trends: " + perPool + " bytes");
    }
}
