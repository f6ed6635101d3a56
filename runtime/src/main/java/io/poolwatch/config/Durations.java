package io.poolwatch.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration forms poolwatch accepts everywhere: seed seconds, suffixed values and ISO-8601. */
public final class Durations {

    /** What a duration may look like, quoted in every error message about one. */
    public static final String ACCEPTED = "a number of seconds (30, 2.5), a number with a unit (500ms, 10s, 5m, 1h, 2d) or ISO-8601 (PT10S)";

    private static final Pattern SUFFIXED = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    /**
     * Parses {@code text}; throws {@link IllegalArgumentException} naming the value and the accepted forms.
     * Negative values are rejected: no poolwatch setting takes one.
     */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty value is not a duration; accepted: " + ACCEPTED);
        }
        if (value.startsWith("-")) {
            throw new IllegalArgumentException("'" + value + "' is negative; accepted: " + ACCEPTED);
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith("p")) {
            try {
                Duration parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
                if (parsed.isNegative()) {
                    throw new IllegalArgumentException("'" + value + "' is negative; accepted: " + ACCEPTED);
                }
                return parsed;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value + "' is not a duration; accepted: " + ACCEPTED);
            }
        }
        Matcher m = SUFFIXED.matcher(lower);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a duration; accepted: " + ACCEPTED);
        }
        BigDecimal amount = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        BigDecimal millis = switch (unit) {
            case "ms" -> amount;
            case "s" -> amount.movePointRight(3);
            case "m" -> amount.multiply(BigDecimal.valueOf(60_000));
            case "h" -> amount.multiply(BigDecimal.valueOf(3_600_000));
            case "d" -> amount.multiply(BigDecimal.valueOf(86_400_000));
            default -> throw new IllegalStateException(unit);
        };
        try {
            return Duration.ofMillis(millis.setScale(0, RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + value + "' is too large; accepted: " + ACCEPTED);
        }
    }

    /** Renders a duration the way an operator writes one: 500ms, 30s, 5m, 1h. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
