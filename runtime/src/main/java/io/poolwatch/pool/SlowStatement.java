package io.poolwatch.pool;

import java.time.Instant;

/**
 * A statement that ran longer than the slow-query threshold.
 *
 * @param sql the statement text with literals and parameters replaced by ?
 * @param count how often this text was slow since the last reset
 * @param longestMs its longest run
 * @param lastMs its most recent slow run
 * @param lastSeen when it was last slow
 */
public record SlowStatement(String sql, long count, double longestMs, double lastMs, Instant lastSeen) {
}
