package io.poolwatch.checks;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import io.poolwatch.config.Durations;

/**
 * When a check runs: every interval, on a cron expression (5 fields as in crontab, or Quartz's 6 or 7 with
 * seconds first), or only when asked ({@code off}).
 */
public final class CheckSchedule {

    /** Shortest interval accepted: a check is not a hot loop. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    static final String ACCEPTED = "an interval (30s, 5m, 1h), a cron expression (5 fields as in crontab, "
            + "or Quartz's 6-7 fields with seconds first) or off";

    private final String text;
    private final Duration interval;
    private final ExecutionTime cron;

    private CheckSchedule(String text, Duration interval, ExecutionTime cron) {
        this.text = text;
        this.interval = interval;
        this.cron = cron;
    }

    /** Parses a schedule; throws {@link IllegalArgumentException} naming the value and what is accepted. */
    static CheckSchedule parse(String text) {
        String value = text.trim();
        if (value.equalsIgnoreCase("off")) {
            return new CheckSchedule("off", null, null);
        }
        String[] fields = value.split("\\s+");
        if (fields.length == 1) {
            Duration d;
            try {
                d = Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' is not a schedule; accepted: " + ACCEPTED);
            }
            if (d.compareTo(MIN_INTERVAL) < 0) {
                throw new IllegalArgumentException("'" + text + "' is shorter than " + Durations.format(MIN_INTERVAL)
                        + "; accepted: " + ACCEPTED);
            }
            return new CheckSchedule(Durations.format(d), d, null);
        }
        CronType type = switch (fields.length) {
            case 5 -> CronType.UNIX;
            case 6, 7 -> CronType.QUARTZ;
            default ->
                throw new IllegalArgumentException("'" + text + "' has " + fields.length + " fields; accepted: " + ACCEPTED);
        };
        try {
            var parsed = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(type)).parse(value);
            parsed.validate();
            return new CheckSchedule(value, null, ExecutionTime.forCron(parsed));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a valid cron expression (" + e.getMessage() + "); accepted: "
                            + ACCEPTED);
        }
    }

    /** The next run strictly after {@code after}; empty when the check runs only when asked. */
    Optional<ZonedDateTime> next(ZonedDateTime after) {
        if (interval != null) {
            return Optional.of(after.plus(interval));
        }
        if (cron != null) {
            return cron.nextExecution(after);
        }
        return Optional.empty();
    }

    /** Whether it is a cron expression (its first run waits for the next matching time, not the initial delay). */
    boolean cron() {
        return cron != null;
    }

    /** Whether the check runs on its own. */
    boolean scheduled() {
        return interval != null || cron != null;
    }

    /** The schedule as configured (intervals normalised: 300s is 5m). */
    @Override
    public String toString() {
        return text;
    }
}
