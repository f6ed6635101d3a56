package io.poolwatch.checks;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of a check.
 *
 * @param check the check's name
 * @param status pass, fail, error or timeout
 * @param violations violations found in the scope read; null when the run did not finish
 * @param allowedViolations violations tolerated
 * @param mode full, chunked or sampled
 * @param scope what the run read: whole table, keys 1..100000, 1% of the table's pages ...
 * @param startedAt when the run started
 * @param durationSeconds how long it took, connection wait included
 * @param message the database's message when the run failed to finish, or a note on the scope
 * @param samples some violating rows, column name to value, masked where configured
 * @param trigger schedule or manual
 * @param severity the check's severity
 * @param workload the pool it ran on
 */
public record CheckResult(String check, String status, Long violations, long allowedViolations, String mode, String scope,
        Instant startedAt, double durationSeconds, String message, List<Map<String, Object>> samples, String trigger,
        String severity,
        String workload) {

    /** The status as an enum. */
    public CheckStatus checkStatus() {
        return CheckStatus.valueOf(status.toUpperCase(Locale.ROOT));
    }

    /** When it ended. */
    public Instant finishedAt() {
        return startedAt.plusMillis(Math.round(durationSeconds * 1000));
    }
}
