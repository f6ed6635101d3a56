package io.poolwatch.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.poolwatch.engine.DatabaseKind;

/**
 * The pools as they will be, known from the configuration alone before any database is started or any pool opened:
 * what the other parts of the configuration are checked against.
 *
 * @param problems every problem of the pool keys and the seed variables
 * @param workloads the enabled workloads, standard ones first
 * @param monitoring the global monitoring settings (with built-in values where a value is wrong)
 * @param embedded whether the pools would run on the fallback (embedded demo) database
 */
public record PoolPlan(List<String> problems, Map<String, Workload> workloads, MonitoringSettings monitoring,
        boolean embedded) {

    /**
     * One enabled workload.
     *
     * @param name its name
     * @param kind the engine of its database (PostgreSQL when its URL is wrong, which is reported on its own)
     * @param readOnly whether its connections are read-only
     */
    public record Workload(String name, DatabaseKind kind, boolean readOnly) {
    }

    public PoolPlan {
        problems = List.copyOf(problems);
        workloads = Collections.unmodifiableMap(new LinkedHashMap<>(workloads));
    }

    /** The engine of each enabled workload's database. */
    public Map<String, DatabaseKind> kinds() {
        Map<String, DatabaseKind> out = new LinkedHashMap<>();
        workloads.forEach((name, w) -> out.put(name, w.kind()));
        return out;
    }
}
