package io.poolwatch.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The validated configuration poolwatch runs with.
 *
 * @param pools the enabled workload pools, standard workloads first; each lists its read replicas
 * @param monitoring global monitoring settings
 * @param embedded whether the pools run on the embedded demo database
 */
public record ResolvedConfiguration(List<PoolSettings> pools, MonitoringSettings monitoring, boolean embedded) {

    /** The settings of one workload. */
    public Optional<PoolSettings> pool(String name) {
        return pools.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Every pool to open: each workload's own, followed by its read replicas' pools. */
    public List<PoolSettings> allPools() {
        List<PoolSettings> all = new ArrayList<>();
        for (PoolSettings p : pools) {
            all.add(p);
            p.replicas().forEach(r -> all.add(r.pool()));
        }
        return List.copyOf(all);
    }
}
