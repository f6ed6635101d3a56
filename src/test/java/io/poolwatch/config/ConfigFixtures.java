package io.poolwatch.config;

import java.util.Map;
import java.util.function.Supplier;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Builds the real configuration mapping from a map of keys, as Quarkus would, for plain unit tests. */
final class ConfigFixtures {

    static final Supplier<String> NO_EMBEDDED = () -> {
        throw new AssertionError("the embedded database must not start");
    };

    private ConfigFixtures() {
    }

    static PoolwatchConfig mapping(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(PoolwatchConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(PoolwatchConfig.class);
    }

    static ResolvedConfiguration resolve(Map<String, String> properties, Map<String, String> seed) {
        return PoolSettingsResolver.resolve(mapping(properties), SeedSource.of(seed), NO_EMBEDDED);
    }
}
