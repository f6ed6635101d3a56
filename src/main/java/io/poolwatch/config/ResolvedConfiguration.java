package io.poolwatch.config;

import java.util.List;
import java.util.Optional;

/**
 * The validated configuration poolwatch runs with.
 *
 * @param pools the enabled workload pools, standard workloads first
 * @param monitoring global monitoring settings
 * @param embedded whether the pools run on the embedded demo database
 */
public record ResolvedConfiguration(List<PoolSettings> pools, MonitoringSettings monitoring, boolean embedded) {

    /** The settings of one workload. */
    public Optional<PoolSettings> pool(String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
