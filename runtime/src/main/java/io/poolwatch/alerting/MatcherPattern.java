package io.poolwatch.alerting;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import io.poolwatch.config.Limits;

/**
 * A silence matcher's regular expression, compiled once and matched in bounded time.
 * <p>
 * RE2/J matches in time linear in the label's length, but also in the size of the compiled program, and counted
 * repetitions multiply that size: {@code ((a{1,1000}){1,1000})} compiles to a million instructions (seconds and 100 MB
 * to compile, a minute per match of a 2,000-character label). So before anything compiles, {@link #check} estimates
 * the program's size from the expression's text (an upper bound: groups, alternations and classes counted, counted
 * repetitions multiplied by their largest count, nested ones multiplied together) and refuses one over {@link #MAX_SIZE}
 * or nested deeper than {@link #MAX_DEPTH}; then RE2/J compiles it, which refuses what RE2 does not have
 * (backreferences, lookaround, atomic groups, possessive quantifiers).
 * <p>
 * Compiled expressions are kept (one per distinct text, at most {@link #MAX_CACHED}), and each remembers its answers
 * for the last label values it saw, so an evaluation compiles nothing and matches each distinct label value once. An
 * expression over the limits that reaches matching anyway (stored by an older version) matches nothing, negated or
 * not: its silence silences nothing rather than hold up evaluation.
 */
public final class MatcherPattern {

    private static final Logger LOG = Logger.getLogger(MatcherPattern.class);

    /** Largest estimated program size accepted (RE2 instructions, roughly). */
    public static final int MAX_SIZE = 1_000;
    /** Deepest nesting of groups accepted. */
    public static final int MAX_DEPTH = 20;
    /** Compiled expressions kept at most; beyond, the cache starts again. */
    static final int MAX_CACHED = 4_096;
    /** Answers remembered per expression at most; beyond, it starts again. */
    static final int MAX_ANSWERS = 256;
    /** Longest label value remembered as an answer; longer ones are matched every time. */
    static final int MAX_REMEMBERED_LENGTH = 512;

    private static final Map<String, MatcherPattern> CACHE = new ConcurrentHashMap<>();

    private final Pattern pattern;
    private final String refusal;
    private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

    private MatcherPattern(Pattern pattern, String refusal) {
        this.pattern = pattern;
        this.refusal = refusal;
    }

    /**
     * Refuses an expression too complex to match in bounded time, or not in RE2 syntax, with an
     * {@link IllegalArgumentException} naming the field {@code matchers[].value}, the value (truncated) and what is
     * accepted. Bounded itself: the size is estimated from the text before anything compiles.
     */
    public static void check(String expression) {
        MatcherPattern p = of(expression);
        if (p.refusal != null) {
            throw new IllegalArgumentException("matchers[].value=" + Limits.quote(expression) + ": " + p.refusal);
        }
    }

    /** The compiled expression, from the cache, compiling it (after the checks) the first time. */
    static MatcherPattern of(String expression) {
        MatcherPattern p = CACHE.get(expression);
        if (p != null) {
            return p;
        }
        p = compile(expression);
        if (CACHE.size() >= MAX_CACHED) {
            CACHE.clear();
        }
        CACHE.putIfAbsent(expression, p);
        return p;
    }

    private static MatcherPattern compile(String expression) {
        Estimate e = new Estimate(expression);
        String refusal = e.refusal();
        if (refusal != null) {
            return new MatcherPattern(null, refusal);
        }
        try {
            return new MatcherPattern(Pattern.compile(expression), null);
        } catch (PatternSyntaxException ex) {
            return new MatcherPattern(null,
                    "not a regular expression in RE2 syntax, as Alertmanager's (" + Limits.quote(ex.getDescription())
                            + "); backreferences, lookaround, atomic groups and possessive quantifiers are not RE2");
        }
    }

    /**
     * Whether {@code input} matches the whole expression, or (with {@code equal} false) does not; false either way
     * when the expression is refused, so a silence with such a matcher silences nothing.
     */
    boolean matches(String input, boolean equal) {
        if (pattern == null) {
            LOG.debugf("silence matcher refused, treated as matching nothing: %s", refusal);
            return false;
        }
        if (input.length() > MAX_REMEMBERED_LENGTH) {
            return pattern.matches(input) == equal;
        }
        Boolean hit = answers.get(input);
        if (hit == null) {
            hit = pattern.matches(input);
            if (answers.size() >= MAX_ANSWERS) {
                answers.clear();
            }
            answers.put(input, hit);
        }
        return hit == equal;
    }

    /**
     * An upper bound on the size of the program RE2 compiles an expression to, read from its text: literals, classes
     * and escapes count 1, a group its contents plus 2, an alternation its branches plus one per bar, {@code * + ?}
     * their operand plus 1, and {@code {n}}, {@code {n,}}, {@code {n,m}} their operand times the largest count (n + 1
     * for an open one) plus 1. Over-estimates rather than under-estimates: text it reads as a repetition is always
     * counted as one. Stops counting as soon as the bound is passed.
     */
    static final class Estimate {

        private final String s;
        private int i;
        private int maxDepth;
        private boolean tooBig;

        Estimate(String s) {
            this.s = s;
        }

        /**
         * Where {@code what} occurs within a few characters of {@code from}, or -1: every look-ahead is short, so the
         * estimate stays linear in the expression's length.
         */
        private int near(String what, int from) {
            int at = s.indexOf(what, from);
            return at >= 0 && at - from <= 32 ? at : -1;
        }

        /** Why the expression is refused, or null. */
        String refusal() {
            long size = alternation(0);
            while (i < s.length() && !tooBig && maxDepth <= MAX_DEPTH) {
                // an unbalanced ')': RE2 refuses it; count on so the estimate still covers the rest
                i++;
                size = add(size, alternation(0));
            }
            if (maxDepth > MAX_DEPTH) {
                return "too complex for a silence matcher: groups nest deeper than " + MAX_DEPTH + "; accepted: at most "
                        + MAX_DEPTH
                        + " levels of nesting";
            }
            if (tooBig || size > MAX_SIZE) {
                return "too complex for a silence matcher: it expands to more than " + MAX_SIZE + " steps (counted repetitions "
                        + "multiply what they repeat, nested ones multiply each other); accepted: at most " + MAX_SIZE
                        + ", such as ledger-.* or (jobs|main)-[0-9]{1,3}";
            }
            return null;
        }

        private long add(long a, long b) {
            long r = a + b;
            if (r > MAX_SIZE) {
                tooBig = true;
            }
            return Math.min(r, MAX_SIZE + 1L);
        }

        private long multiply(long a, long b) {
            if (b != 0 && a > (MAX_SIZE + 1L) / b) {
                tooBig = true;
                return MAX_SIZE + 1L;
            }
            long r = a * b;
            if (r > MAX_SIZE) {
                tooBig = true;
            }
            return r;
        }

        /** Branches separated by '|' up to a ')' or the end. */
        private long alternation(int depth) {
            maxDepth = Math.max(maxDepth, depth);
            long size = concatenation(depth);
            while (i < s.length() && s.charAt(i) == '|' && !tooBig) {
                i++;
                size = add(size, add(1, concatenation(depth)));
            }
            return size;
        }

        private long concatenation(int depth) {
            long size = 0;
            while (i < s.length() && s.charAt(i) != '|' && s.charAt(i) != ')' && !tooBig && maxDepth <= MAX_DEPTH) {
                long atom = atom(depth);
                atom = quantifiers(atom);
                size = add(size, atom);
            }
            return size;
        }

        private long atom(int depth) {
            char c = s.charAt(i);
            switch (c) {
                case '(' -> {
                    i++;
                    if (i < s.length() && s.charAt(i) == '?') {
                        // (?flags) and (?flags:...), (?P<name>...), (?<name>...); anything else RE2 refuses when compiling
                        int close = near(")", i);
                        boolean flagsOnly = close > 0 && s.substring(i + 1, close).matches("[imsU-]*");
                        if (flagsOnly) {
                            i = close + 1;
                            return 0;
                        }
                    }
                    long inner = alternation(depth + 1);
                    if (i < s.length() && s.charAt(i) == ')') {
                        i++;
                    }
                    return add(inner, 2);
                }
                case '[' -> {
                    characterClass();
                    return 1;
                }
                case '\\' -> {
                    return escape();
                }
                default -> {
                    i++;
                    return 1;
                }
            }
        }

        /** Skips a class: an optional '^', a leading ']' as a literal, escapes, [:name:], up to the closing ']'. */
        private void characterClass() {
            i++;
            if (i < s.length() && s.charAt(i) == '^') {
                i++;
            }
            if (i < s.length() && s.charAt(i) == ']') {
                i++;
            }
            while (i < s.length() && s.charAt(i) != ']') {
                if (s.charAt(i) == '\\') {
                    escape();
                } else if (s.startsWith("[:", i) && near(":]", i + 2) > 0) {
                    i = near(":]", i + 2) + 2;
                } else {
                    i++;
                }
            }
            i++;
        }

        /** An escape: one character, or \p{..}, \x{..}, and \Q...\E (each quoted character counted). */
        private long escape() {
            i++;
            if (i >= s.length()) {
                return 1;
            }
            char c = s.charAt(i++);
            if ((c == 'p' || c == 'P' || c == 'x') && i < s.length() && s.charAt(i) == '{') {
                int close = near("}", i);
                i = close < 0 ? i : close + 1;
            } else if (c == 'Q') {
                int end = s.indexOf("\\E", i);
                int stop = end < 0 ? s.length() : end;
                long quoted = stop - i;
                i = end < 0 ? s.length() : end + 2;
                return Math.max(1, add(0, quoted));
            }
            return 1;
        }

        /** Any run of quantifiers after an atom; each applies to what came before (RE2 refuses most doubles anyway). */
        private long quantifiers(long atom) {
            long size = atom;
            while (i < s.length() && !tooBig) {
                char c = s.charAt(i);
                if (c == '*' || c == '+' || c == '?') {
                    i++;
                    size = add(size, 1);
                } else if (c == '{') {
                    long count = repeatCount();
                    if (count < 0) {
                        return size;
                    }
                    size = add(multiply(Math.max(size, 1), Math.max(count, 1)), 1);
                } else {
                    return size;
                }
            }
            return size;
        }

        /** The largest count of {n}, {n,} (n + 1) or {n,m} at i, moving past it; -1 (not moving) when it is a literal '{'. */
        private long repeatCount() {
            int close = near("}", i);
            if (close < 0) {
                return -1;
            }
            String body = s.substring(i + 1, close);
            if (!body.matches("[0-9]{1,9}(,[0-9]{0,9})?")) {
                return -1;
            }
            i = close + 1;
            int comma = body.indexOf(',');
            if (comma < 0) {
                return Long.parseLong(body);
            }
            long min = Long.parseLong(body.substring(0, comma));
            String max = body.substring(comma + 1);
            return max.isEmpty() ? min + 1 : Math.max(min, Long.parseLong(max));
        }
    }
}
