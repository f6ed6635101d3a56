package io.poolwatch.alerting;

import java.time.Instant;

/**
 * How deliveries to one receiver are going. Counts are since this poolwatch process started; the depth is the outbox's
 * as of the worker's latest look (every poll interval), so reading this never waits on a database.
 *
 * @param receiver the receiver's name
 * @param lastSuccess when a notification was last delivered, or null
 * @param lastFailure when an attempt last failed (retried, rejected or given up), or null
 * @param lastError what went wrong then, or null
 * @param consecutiveFailures attempts failed since the last delivery
 * @param delivered notifications delivered
 * @param failedAttempts attempts that did not deliver
 * @param rejected notifications the receiver refused (a 4xx other than 408 and 429), not retried
 * @param givenUp notifications given up after max-attempts or max-age
 * @param depth notifications waiting
 */
public record DeliveryStatus(String receiver, Instant lastSuccess, Instant lastFailure, String lastError, int consecutiveFailures,
        long delivered, long failedAttempts, long rejected, long givenUp, int depth) {
}
