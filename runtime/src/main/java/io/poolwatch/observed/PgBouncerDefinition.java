package io.poolwatch.observed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.Secret;

/**
 * One configured PgBouncer, its keys checked ({@link PgBouncerConfigurationCheck}).
 *
 * @param name the definition's name
 * @param address where its admin console listens
 * @param username the console user (in {@code stats_users})
 * @param password its password, if it needs one
 */
public record PgBouncerDefinition(String name, PgBouncerAddress address, String username, Optional<Secret> password) {

    /** Every definition whose keys are valid, in name order (start-up refuses invalid ones before this is asked). */
    public static List<PgBouncerDefinition> of(PoolwatchConfig config) {
        List<PgBouncerDefinition> out = new ArrayList<>();
        for (Map.Entry<String, PoolwatchConfig.PgBouncerConfig> e : new TreeMap<>(config.pgbouncer()).entrySet()) {
            PoolwatchConfig.PgBouncerConfig c = e.getValue();
            if (c.url().isEmpty() || c.username().isEmpty()) {
                continue;
            }
            try {
                out.add(new PgBouncerDefinition(e.getKey(), PgBouncerAddress.parse(c.url().get()), c.username().get().trim(),
                        c.password().filter(p -> !p.isEmpty()).map(Secret::new)));
            } catch (IllegalArgumentException ignored) {
                // Reported by PgBouncerConfigurationCheck at start-up.
            }
            if (out.size() == PgBouncerConfigurationCheck.MAX_PGBOUNCERS) {
                break;
            }
        }
        return List.copyOf(out);
    }
}
