package io.poolwatch.checks;

import java.util.Map;

import io.poolwatch.engine.DatabaseKind;

/**
 * Check definitions an application contributes in code rather than in configuration, such as the standalone
 * service's checks of its demo schema. They are parsed and validated exactly like {@code poolwatch.consistency.checks}
 * and are on when {@code poolwatch.consistency.demo-checks} says so (built-in: when the pools run on a
 * {@link io.poolwatch.pool.FallbackDatabase}).
 */
public interface ProvidedChecks {

    /** Where the definitions come from, as error messages name it ("demo"). */
    String origin();

    /**
     * The definitions by check name, each a map of the same keys as {@code poolwatch.consistency.checks."<name>".*}.
     *
     * @param workloads every workload and the kind of its database
     */
    Map<String, Map<String, String>> definitions(Map<String, DatabaseKind> workloads);
}
