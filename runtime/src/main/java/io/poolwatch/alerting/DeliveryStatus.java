package io.poolwatch.alerting;

import java.time.Instant;
import java.util.List;

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
 * @param superseded notifications replaced, undelivered, by a newer one that carries all they did (Alertmanager
 *        receivers only: a post waiting while the Alertmanager is down gives way to the next)
 */
public record DeliveryStatus(String receiver, Instant lastSuccess, Instant lastFailure, String lastError,
        int consecutiveFailures,
        long delivered, long failedAttempts, long rejected, long givenUp, int depth, long superseded) {

    /** Nothing delivered or attempted yet. */
    public static DeliveryStatus none(String receiver) {
        return new DeliveryStatus(receiver, null, null, null, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Several targets' statuses as one, under {@code receiver}'s name (an Alertmanager receiver's, one target per URL):
     * the latest success, the latest failure with its error, the most consecutive failures of any target, and the
     * counts and depths summed.
     */
    public static DeliveryStatus combined(String receiver, List<DeliveryStatus> parts) {
        Instant success = null;
        DeliveryStatus failure = null;
        int consecutive = 0;
        long delivered = 0;
        long failed = 0;
        long rejected = 0;
        long givenUp = 0;
        int depth = 0;
        long superseded = 0;
        for (DeliveryStatus d : parts) {
            if (d.lastSuccess() != null && (success == null || d.lastSuccess().isAfter(success))) {
                success = d.lastSuccess();
            }
            if (d.lastFailure() != null && (failure == null || d.lastFailure().isAfter(failure.lastFailure()))) {
                failure = d;
            }
            consecutive = Math.max(consecutive, d.consecutiveFailures());
            delivered += d.delivered();
            failed += d.failedAttempts();
            rejected += d.rejected();
            givenUp += d.givenUp();
            depth += d.depth();
            superseded += d.superseded();
        }
        return new DeliveryStatus(receiver, success, failure == null ? null : failure.lastFailure(),
                failure == null ? null : failure.lastError(),
                consecutive, delivered, failed, rejected, givenUp, depth, superseded);
    }
}
