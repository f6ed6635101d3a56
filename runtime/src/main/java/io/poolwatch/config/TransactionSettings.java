package io.poolwatch.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code Workloads.inTransaction} retries serialization failures and deadlocks, validated.
 *
 * @param maxRetries runs after the first one; 0 turns retries off
 * @param initialBackoff the wait before the first retry, before jitter
 * @param maxBackoff the longest wait between two runs, before jitter
 */
public record TransactionSettings(int maxRetries, Duration initialBackoff, Duration maxBackoff) {

    static final String PREFIX = "poolwatch.transactions.";
    /** Most retries accepted: more would hide a hot spot that needs a different design rather than patience. */
    public static final int MAX_RETRIES_LIMIT = 100;
    /** Longest backoff accepted: a request thread should not sleep longer between two runs. */
    public static final Duration MAX_BACKOFF_LIMIT = Duration.ofMinutes(1);

    /** The defaults of {@link PoolwatchConfig.TransactionsConfig}. */
    public static final TransactionSettings DEFAULTS = new TransactionSettings(3, Duration.ofMillis(10),
            Duration.ofMillis(200));

    /**
     * The settings from the mapping; {@link InvalidConfigurationException} naming every bad key, its value and what is
     * accepted.
     */
    public static TransactionSettings of(PoolwatchConfig.TransactionsConfig c) {
        List<String> problems = new ArrayList<>();
        if (c.maxRetries() < 0 || c.maxRetries() > MAX_RETRIES_LIMIT) {
            problems.add(PREFIX + "max-retries=" + c.maxRetries() + ": accepted: 0 to " + MAX_RETRIES_LIMIT);
        }
        if (c.initialBackoff().isNegative() || c.initialBackoff().isZero()
                || c.initialBackoff().compareTo(MAX_BACKOFF_LIMIT) > 0) {
            problems.add(PREFIX + "initial-backoff=" + Durations.format(c.initialBackoff()) + ": accepted: above 0s, at most "
                    + Durations.format(MAX_BACKOFF_LIMIT));
        } else if (c.maxBackoff().compareTo(c.initialBackoff()) < 0) {
            problems.add(PREFIX + "max-backoff=" + Durations.format(c.maxBackoff()) + ": below initial-backoff="
                    + Durations.format(c.initialBackoff()) + "; accepted: at least initial-backoff, at most "
                    + Durations.format(MAX_BACKOFF_LIMIT));
        }
        if (c.maxBackoff().compareTo(MAX_BACKOFF_LIMIT) > 0) {
            problems.add(PREFIX + "max-backoff=" + Durations.format(c.maxBackoff())
                    + ": accepted: at least initial-backoff, at most "
                    + Durations.format(MAX_BACKOFF_LIMIT));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new TransactionSettings(c.maxRetries(), c.initialBackoff(), c.maxBackoff());
    }

    /**
     * The wait before retry number {@code retry} (1 for the first): initial-backoff doubled per earlier retry, capped at
     * max-backoff, then "equal jitter": half of it plus a random part of the other half, so two transactions that
     * collided do not collide again in step. {@code random} is in [0, 1).
     */
    public Duration backoff(int retry, double random) {
        long initial = initialBackoff.toNanos();
        long cap = maxBackoff.toNanos();
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long base = initial > (cap >> shift) ? cap : Math.min(cap, initial << shift);
        long half = base / 2;
        return Duration.ofNanos(half + (long) ((base - half) * random));
    }
}
