package io.poolwatch.config;

import java.time.Duration;
import java.util.Locale;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Strict converters for the configuration mapping. SmallRye's defaults read any unknown word as
 * {@code false} and accept only ISO-8601 durations; these reject what they do not understand, with
 * the accepted forms in the message (SmallRye prefixes it with the key and the value).
 */
public final class Converters {

    private Converters() {
    }

    /** Durations in every form {@link Durations} accepts. */
    public static final class DurationConverter implements Converter<Duration> {
        @Override
        public Duration convert(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            return Durations.parse(value);
        }
    }

    /** Booleans as true/false, yes/no, on/off, 1/0; anything else is an error. */
    public static final class StrictBooleanConverter implements Converter<Boolean> {
        @Override
        public Boolean convert(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            return parseBoolean(value);
        }
    }

    /** Whole numbers, with a message that says so. */
    public static final class IntegerConverter implements Converter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            return parseInt(value);
        }
    }

    public static final String ACCEPTED_BOOLEANS = "true, false, yes, no, on, off, 1 or 0";

    public static boolean parseBoolean(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("'" + value + "' is not a boolean; accepted: " + ACCEPTED_BOOLEANS);
        };
    }

    public static int parseInt(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number; accepted: an integer such as 20");
        }
    }
}
