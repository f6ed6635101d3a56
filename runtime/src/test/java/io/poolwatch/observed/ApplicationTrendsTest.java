package io.poolwatch.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.poolwatch.sampling.Trends;

/** An application's figures reach the 24-hour trends, combined over the databases it was read on. */
class ApplicationTrendsTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

    private static ApplicationSnapshot snapshot(String database, boolean available, int sessions, int idle, int expected,
            long longestTxSeconds) {
        return new ApplicationSnapshot("mingus-api", database, AT, available,
                available ? Optional.empty() : Optional.of("timeout"), sessions,
                Map.of("active", sessions), 2, idle, Optional.empty(),
                longestTxSeconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(longestTxSeconds)),
                Optional.empty(), 0, OptionalInt.of(expected), "any");
    }

    private static double latest(Trends trends, String figure) {
        Trends.Series s = trends.series(Trends.APPLICATION, "mingus-api", figure, Duration.ofHours(1)).orElseThrow();
        return s.points().get(s.points().size() - 1).value();
    }

    @Test
    void sessionsAddUpAndTheWorstUtilizationAndTransactionAreKept() {
        Trends trends = new Trends(Clock.fixed(AT, ZoneOffset.UTC), 10);
        ApplicationSampler.trend(trends, "mingus-api",
                List.of(snapshot("a", true, 6, 1, 10, 40), snapshot("b", true, 9, 2, 10, 75),
                        snapshot("c", false, 0, 0, 10, -1)));
        assertEquals(15, latest(trends, "sessions"), "summed over the databases read");
        assertEquals(0.9, latest(trends, "utilization"), 1e-9, "the highest");
        assertEquals(3, latest(trends, "idle_in_transaction"));
        assertEquals(75, latest(trends, "longest_transaction"), "the longest, in seconds");
    }

    @Test
    void nothingIsRecordedWhenNoDatabaseCouldBeRead() {
        Trends trends = new Trends(Clock.fixed(AT, ZoneOffset.UTC), 10);
        ApplicationSampler.trend(trends, "mingus-api", List.of(snapshot("a", false, 0, 0, 10, -1)));
        assertTrue(
                trends.series(Trends.APPLICATION, "mingus-api", "sessions", Duration.ofHours(1)).map(s -> s.points().isEmpty())
                        .orElse(true),
                "an unreadable server is a gap, not zero sessions");
    }
}
