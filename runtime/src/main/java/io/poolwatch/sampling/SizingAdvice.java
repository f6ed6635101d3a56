package io.poolwatch.sampling;

/**
 * One piece of pool-sizing advice drawn from the measured history.
 *
 * @param subject the pool, or the database for server-wide advice
 * @param kind oversized, undersized or server-capacity
 * @param message what was seen and what to consider, with the figures
 */
public record SizingAdvice(String subject, String kind, String message) {
}
