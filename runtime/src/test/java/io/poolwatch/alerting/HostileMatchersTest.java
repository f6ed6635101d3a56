package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A timing bound on silence matchers with hostile expressions: generated nested groups, alternations and counted
 * repetitions (nested ones multiply what RE2 compiles, and its linear time is linear in that too) are either refused at
 * creation with a 400-style message naming the field, or created and matched against many near-miss labels within a
 * deliberately generous bound. Syntax a backtracking engine has (backreferences, lookaround, atomic groups, possessive
 * quantifiers) is refused.
 */
class HostileMatchersTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    /** Generous: an accepted matcher answers in milliseconds; this bound only catches one that does not. */
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final long SEED = 16_2026L;

    private final Silencer silences = new Silencer(Clock.fixed(NOW, ZoneOffset.UTC));

    /** The hostile families, then random compositions of the same constructs. */
    static List<String> hostilePatterns() {
        List<String> out = new ArrayList<>();
        for (int k : new int[] { 10, 40, 100, 400, 1000 }) {
            out.add("((a{1," + k + "}){1," + k + "})");
            out.add("(((a{1," + k + "}){1," + k + "}){1," + k + "})");
            out.add("(a|aa){" + k + "}");
            out.add("(.*){" + Math.min(k, 1000) + "}X");
            out.add("([a-z]+[a-z]+){" + k + "}!");
        }
        out.add("(.*)".repeat(22) + "X");
        out.add("(x+x+)+y");
        out.add("((((((((((a*)*)*)*)*)*)*)*)*)*)X");
        out.add("(" + "a|".repeat(500) + "b)*c");
        out.add("(?:(?:(?:(?:a{2,300}){2,300}){2,300}))");
        out.add("(\\w{1,1000}\\d{1,1000}){1,1000}");
        Random random = new Random(SEED);
        for (int i = 0; i < 300; i++) {
            out.add(generate(random, 4));
        }
        return out;
    }

    private static String generate(Random r, int depth) {
        if (depth == 0) {
            return switch (r.nextInt(7)) {
                case 0 -> "a";
                case 1 -> ".";
                case 2 -> "[a-z]";
                case 3 -> "\\w";
                case 4 -> "x";
                case 5 -> "(?i)a";
                default -> "[^!]";
            };
        }
        String inner = generate(r, depth - 1);
        return switch (r.nextInt(9)) {
            case 0 -> "(" + inner + ")";
            case 1 -> "(?:" + inner + "|" + generate(r, depth - 1) + ")";
            case 2 -> "(" + inner + ")*";
            case 3 -> "(" + inner + ")+";
            case 4 -> "(" + inner + "){" + (1 + r.nextInt(1000)) + "}";
            case 5 -> "(" + inner + "){1," + (1 + r.nextInt(1000)) + "}";
            case 6 -> "(" + inner + "){" + r.nextInt(50) + ",}";
            case 7 -> inner + generate(r, depth - 1);
            default -> "(" + inner + "|" + inner + inner + ")";
        };
    }

    /** Labels that almost match: runs of the patterns' alphabet, ended by a character none of them wants. */
    static List<String> nearMisses() {
        List<String> out = new ArrayList<>();
        for (int length : new int[] { 1, 2, 5, 17, 40, 63, 100, 128, 200, 256 }) {
            out.add("a".repeat(length) + "!");
            out.add("x".repeat(length) + "b!");
            out.add("ab".repeat(length / 2) + "1!");
            out.add("a".repeat(length));
        }
        return out;
    }

    @Test
    @Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyHostileExpressionIsRefusedOrMatchedWithinTheBound() {
        List<String> nearMisses = nearMisses();
        int accepted = 0;
        int refused = 0;
        for (String pattern : hostilePatterns()) {
            long start = System.nanoTime();
            Silence s;
            try {
                s = silences.create(List.of(new Silence.Matcher("pool", pattern, true, null)), NOW.plus(Duration.ofHours(1)),
                        "x", "hostile");
            } catch (IllegalArgumentException e) {
                // Refused for its size (matchers[0].value: ... characters) or its program (matchers[].value=...): the field is named.
                assertTrue(e.getMessage().matches("(?s)matchers\\[\\d*\\]\\.value[:=].*"), e.getMessage());
                assertTrue(e.getMessage().length() < 600, "the message stays short: " + e.getMessage().length());
                assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(BOUND) < 0,
                        "refused within the bound: " + pattern);
                refused++;
                continue;
            }
            accepted++;
            for (String label : nearMisses) {
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("alertname", "pool-utilization");
                labels.put("pool", label);
                silences.matching(labels, NOW);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                if (took.compareTo(BOUND) > 0) {
                    fail("creating and matching " + truncate(pattern) + " against near-misses up to " + label.length()
                            + " characters took "
                            + took.toMillis() + " ms; bound " + BOUND.toMillis() + " ms");
                }
            }
            silences.expire(s.id());
        }
        assertTrue(accepted > 50, "ordinary compositions are accepted: " + accepted);
        assertTrue(refused > 10, "the blown-up ones are refused: " + refused);
    }

    /**
     * Every alert against every silence: with many silences at the size limit, an evaluation after the first compiles
     * nothing and matches nothing again, as the same label values come back each time; only new values cost a match.
     */
    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void evaluationsAfterTheFirstCostLookupsNotMatches() {
        for (int i = 0; i < 100; i++) {
            silences.create(List.of(new Silence.Matcher("pool", "(.*){1,240}X" + i, true, null)), NOW.plus(Duration.ofHours(1)),
                    "x", "at the limit");
        }
        List<Map<String, String>> alerts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            alerts.add(Map.of("alertname", "pool-utilization", "pool", "a".repeat(40) + "-" + i, "severity", "warning"));
        }
        for (Map<String, String> labels : alerts) {
            assertTrue(silences.matching(labels, NOW).isEmpty(), "near-misses match no silence");
        }
        long start = System.nanoTime();
        for (int evaluation = 0; evaluation < 10; evaluation++) {
            for (Map<String, String> labels : alerts) {
                silences.matching(labels, NOW);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(BOUND) < 0,
                "10 more evaluations of 20 alerts against 100 silences took " + took.toMillis() + " ms");
        assertEquals(1, silences.matching(Map.of("alertname", "pool-utilization", "pool", "ledgerX7"), NOW).size(),
                "still real matchers");
    }

    @Test
    void nestedCountedRepetitionsAreRefusedNamingTheFieldAndTheLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> silences.create(
                List.of(new Silence.Matcher("pool", "((a{1,1000}){1,1000})", true, null)), NOW.plusSeconds(60), "x", "c"));
        assertTrue(e.getMessage().startsWith("matchers[].value=((a{1,1000}){1,1000}): too complex"), e.getMessage());
        assertTrue(e.getMessage().matches(".*accepted: at most \\d+.*"), e.getMessage());
    }

    @Test
    void syntaxOfBacktrackingEnginesIsRefused() {
        for (String pattern : List.of("(a)\\1", "(?P<x>a)\\k<x>", "(?=a)a", "(?!b)a", "(?<=a)b", "(?<!a)b", "(?>a+)b", "a*+",
                "a++b",
                "(?(1)a|b)", "(?R)", "a{2}{3}{4}", "\\Ga", "(?#comment)a")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> silences.create(
                    List.of(new Silence.Matcher("pool", pattern, true, null)), NOW.plusSeconds(60), "x", "c"), pattern);
            assertTrue(e.getMessage().startsWith("matchers[].value=" + pattern + ": "), e.getMessage());
        }
    }

    @Test
    void ordinaryAlertmanagerExpressionsStillWork() {
        Map<String, String> labels = Map.of("alertname", "pool-utilization", "pool", "ledger-eu-1", "severity", "warning");
        for (String pattern : List.of("ledger-.*", "jobs|ledger-eu-1|main", "[a-z]{1,63}-[a-z]{2}-\\d+", "(?i)LEDGER.*", ".+",
                "(ledger|jobs)-(eu|us)-[0-9]{1,3}", "[[:alpha:]]+-eu-1", "\\Qledger-eu-1\\E")) {
            Silence s = silences.create(List.of(new Silence.Matcher("pool", pattern, true, null)), NOW.plusSeconds(60), "x",
                    "c");
            assertEquals(List.of(s.id()), silences.matching(labels, NOW), pattern);
            silences.expire(s.id());
        }
    }

    /**
     * A matcher stored before the limits (or by an older replica) cannot hold up matching either: it matches nothing,
     * negated or not, so its silence silences nothing and the alert is notified.
     */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aStoredMatcherOverTheLimitMatchesNothingInsteadOfStalling() {
        Silence.Matcher stored = new Silence.Matcher("pool", "((a{1,1000}){1,1000})", true, null);
        assertEquals(false, stored.matches(Map.of("pool", "a".repeat(2000))));
        assertEquals(false, new Silence.Matcher("pool", "((a{1,1000}){1,1000})", true, false).matches(Map.of("pool", "a")));
    }

    private static String truncate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
