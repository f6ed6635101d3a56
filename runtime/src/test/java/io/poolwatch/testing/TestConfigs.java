package io.poolwatch.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.poolwatch.config.PoolSettingsResolver;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.config.SeedSource;
import io.poolwatch.config.WorkloadProfiles;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Builds the real configuration mapping from a map of keys, as Quarkus would, for plain unit tests. */
public final class TestConfigs {

    public static final Supplier<String> NO_EMBEDDED = () -> {
        throw new AssertionError("the embedded database must not start");
    };

    private TestConfigs() {
    }

    public static PoolwatchConfig mapping(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(PoolwatchConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(PoolwatchConfig.class);
    }

    /**
     * Any other configuration mapping (the service's {@code poolwatch.embedded.*}, {@code poolwatch.simulator.*}) from a map of
     * keys.
     */
    public static <T> T mapping(Class<T> type, Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(type)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(type);
    }

    public static ResolvedConfiguration resolve(Map<String, String> properties, Map<String, String> seed) {
        return PoolSettingsResolver.resolve(mapping(properties), SeedSource.of(seed), NO_EMBEDDED);
    }

    /** Properties that disable every standard workload but {@code keep}, merged with {@code extra}. */
    public static Map<String, String> only(Map<String, String> extra, String... keep) {
        Map<String, String> props = new HashMap<>(extra);
        Set<String> kept = Set.of(keep);
        for (String standard : WorkloadProfiles.STANDARD) {
            if (!kept.contains(standard)) {
                props.put("poolwatch.pools." + standard + ".enabled", "false");
            }
        }
        return props;
    }
}
