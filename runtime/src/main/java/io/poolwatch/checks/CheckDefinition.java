package io.poolwatch.checks;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import io.poolwatch.config.Severity;
import io.poolwatch.engine.DatabaseKind;

/**
 * One validated consistency check.
 *
 * @param name its name, the {@code check} label of its metrics
 * @param description what it guards, for people
 * @param spec what it looks at and the SQL it runs
 * @param workload the pool it runs on
 * @param database the engine of that pool
 * @param schedule when it runs
 * @param timeout the server cancels a statement running longer
 * @param severity the severity of the alert a failing run raises
 * @param allowedViolations violations tolerated before a run fails
 * @param mode how much of the table one run reads
 * @param chunkSize chunked mode: keys per run
 * @param samplePercent sampled mode: percent of the pages read
 * @param sampleRows violating rows kept with a failing result
 * @param maskColumns columns whose values are masked in sample rows (lower case)
 * @param source where it was defined: configuration, or the demo
 */
public record CheckDefinition(String name, String description, CheckSpec spec, String workload, DatabaseKind database,
        CheckSchedule schedule, Duration timeout, Severity severity, long allowedViolations, CheckMode mode, long chunkSize,
        double samplePercent, int sampleRows, Set<String> maskColumns, String source) {

    /** The kind of check. */
    public CheckKind kind() {
        return spec.kind();
    }

    /** The kind's parameters as configured (table, columns, SQL ...). */
    public Map<String, String> parameters() {
        return spec.parameters();
    }

    /** The scope of a run in sampled mode. */
    Scope sampleScope() {
        return new Scope.Sample(samplePercent);
    }
}
