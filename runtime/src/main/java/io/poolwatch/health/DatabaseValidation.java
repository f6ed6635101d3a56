package io.poolwatch.health;

import java.time.Instant;
import java.util.Optional;

/**
 * The latest background validation of one database.
 *
 * @param database the database label
 * @param reachable whether the last validation succeeded in time
 * @param checkedAt when the last validation ended (or was given up on)
 * @param lastSuccess when a validation last succeeded, if ever
 * @param error why the last one failed, if it did
 * @param queryTimeMs how long the last successful validation took
 */
public record DatabaseValidation(String database, boolean reachable, Instant checkedAt, Optional<Instant> lastSuccess,
        Optional<String> error, double queryTimeMs) {
}
