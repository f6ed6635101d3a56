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
 * @param saturation when the last one failed because the server refused the monitoring connection for lack of slots
 *        (PostgreSQL 53300, MariaDB 1040): the code and the server's words. The server answered: it is saturated, not
 *        unreachable
 */
public record DatabaseValidation(String database, boolean reachable, Instant checkedAt, Optional<Instant> lastSuccess,
        Optional<String> error, double queryTimeMs, Optional<String> saturation) {

    /** A validation that says nothing about saturation. */
    public DatabaseValidation(String database, boolean reachable, Instant checkedAt, Optional<Instant> lastSuccess,
            Optional<String> error,
            double queryTimeMs) {
        this(database, reachable, checkedAt, lastSuccess, error, queryTimeMs, Optional.empty());
    }
}
