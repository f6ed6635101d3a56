package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Silences match by label equality or expression, negated or not, only while they are in effect. */
class SilencerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Map<String, String> JOBS = Map.of("alertname", "pool-utilization", "pool", "jobs", "severity",
            "warning");

    private final Silencer silences = new Silencer(Clock.fixed(NOW, ZoneOffset.UTC));

    private static Silence.Matcher eq(String name, String value) {
        return new Silence.Matcher(name, value, null, null);
    }

    @Test
    void matchersMustAllMatchWhileTheSilenceIsInEffect() {
        Silence s = silences.create(
                List.of(eq("alertname", "pool-utilization"), new Silence.Matcher("pool", "j.*", true, null)),
                NOW.plus(Duration.ofHours(1)), "oncall", "deploy in progress");
        assertEquals(List.of(s.id()), silences.matching(JOBS, NOW));
        assertTrue(silences.matching(Map.of("alertname", "pool-utilization", "pool", "main"), NOW).isEmpty());
        assertTrue(silences.matching(JOBS, NOW.plus(Duration.ofHours(1))).isEmpty(), "ended");
        Silence negated = silences.create(List.of(new Silence.Matcher("severity", "critical", false, false)),
                NOW.plusSeconds(60), "x", "all but critical");
        assertEquals(List.of(s.id(), negated.id()), silences.matching(JOBS, NOW));
        silences.expire(s.id());
        assertEquals(List.of(negated.id()), silences.matching(JOBS, NOW));
        assertEquals(NOW, silences.all().stream().filter(x -> x.id().equals(s.id())).findFirst().orElseThrow().endsAt());
    }

    @Test
    void badSilencesAreRefused() {
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> silences.create(List.of(eq("pool", "jobs")), NOW, "x", "c"))
                        .getMessage().contains("after now"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> silences.create(List.of(eq("pool name", "jobs")),
                NOW.plusSeconds(60), "x", "c")).getMessage().contains("label name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> silences.create(List.of(eq("pool", "jobs")),
                NOW.plusSeconds(60), "x", " ")).getMessage().contains("comment"));
    }

    /**
     * The matcher that held the alert thread for minutes under a backtracking engine: {@code (.*)} 22 times, then
     * {@code X}, against labels that almost match. On RE2/J it answers at once; the timeout only stops a run that would
     * otherwise hang, it measures nothing.
     */
    @Test
    @Timeout(60)
    void aHostileExpressionCannotHoldUpMatching() {
        String hostile = "(.*)".repeat(22) + "X";
        silences.create(List.of(new Silence.Matcher("pool", hostile, true, null)), NOW.plus(Duration.ofHours(1)), "x",
                "hostile");
        String label = "a".repeat(200);
        for (int i = 0; i < 50; i++) {
            assertTrue(silences.matching(Map.of("alertname", "pool-utilization", "pool", label + i), NOW).isEmpty());
        }
        assertEquals(1, silences.matching(Map.of("alertname", "pool-utilization", "pool", label + "X"), NOW).size(),
                "still a real matcher");
    }

    @Test
    void expressionsAreRe2AsAlertmanagersAre() {
        IllegalArgumentException lookahead = assertThrows(IllegalArgumentException.class, () -> silences.create(
                List.of(new Silence.Matcher("pool", "(?=jobs)jobs", true, null)), NOW.plusSeconds(60), "x", "c"));
        assertTrue(lookahead.getMessage().startsWith("matchers[].value=(?=jobs)jobs: not a regular expression in RE2 syntax"),
                lookahead.getMessage());
        Silence s = silences.create(List.of(new Silence.Matcher("pool", "jobs|main", true, null)), NOW.plusSeconds(60), "x",
                "c");
        assertEquals(List.of(s.id()), silences.matching(JOBS, NOW), "fully anchored: jobs|main matches jobs");
        assertTrue(silences.matching(Map.of("alertname", "pool-utilization", "pool", "jobs-2"), NOW).isEmpty(),
                "and not jobs-2");
    }
}
