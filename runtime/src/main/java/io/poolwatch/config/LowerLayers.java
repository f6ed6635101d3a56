package io.poolwatch.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * The pool values below the {@code poolwatch.*} keys: the seed environment variables, the built-in profile of a standard
 * workload and the built-in base. Each is a {@link ConfigSource} of the mapping's own keys, read through
 * {@link PoolwatchConfig} and its converters, so a pool key is declared once, in {@link PoolwatchConfig.PoolConfig}, and has
 * its built-in value in one line of {@link WorkloadProfiles}. Which layer gave a value is the name of its source
 * ({@code ConfigValue.getSourceName()}): the seed variable(s) that set it, or {@value #BUILT_IN}.
 * <p>
 * The seed layer is {@code poolwatch.defaults.*}, each profile {@code poolwatch.pools."<workload>".*} and the base
 * {@code poolwatch.pools."-base".*}, a name no workload can have. The values are those poolwatch wrote or the seed
 * variables that parsed, so reading them cannot fail; an unknown key here fails every resolution, as the mapping refuses it.
 */
final class LowerLayers {

    static final String BUILT_IN = "built-in";
    private static final String BASE = "-base";
    private static final int SEED_ORDINAL = 200;
    private static final int BUILT_IN_ORDINAL = 100;

    private final SmallRyeConfig config;
    private final PoolwatchConfig mapping;

    private LowerLayers(SmallRyeConfig config) {
        this.config = config;
        this.mapping = config.getConfigMapping(PoolwatchConfig.class);
    }

    /** The layers last built, with the seed values they were built from: start-up validates, then resolves, the same. */
    private static volatile Built last;

    private record Built(Map<String, SeedEnvironment.SeedValue> seed, LowerLayers layers) {
    }

    /**
     * The layers, from the seed variables' pool values by key, each with the variable(s) that set it. Immutable: the
     * layers of the same seed values are built once, and the next call with them gets the same ones.
     */
    static LowerLayers of(Map<String, SeedEnvironment.SeedValue> seed) {
        Built b = last;
        if (b != null && b.seed().equals(seed)) {
            return b.layers();
        }
        LowerLayers layers = build(seed);
        last = new Built(Map.copyOf(seed), layers);
        return layers;
    }

    private static LowerLayers build(Map<String, SeedEnvironment.SeedValue> seed) {
        Map<String, Map<String, String>> seedByVariable = new LinkedHashMap<>();
        seed.forEach((key, v) -> seedByVariable.computeIfAbsent(v.variable(), x -> new LinkedHashMap<>())
                .put("poolwatch.defaults." + key, v.value()));
        Map<String, String> builtIn = new LinkedHashMap<>();
        WorkloadProfiles.BASE.forEach((k, v) -> builtIn.put(key(BASE, k), v));
        for (String name : WorkloadProfiles.STANDARD) {
            WorkloadProfiles.profile(name).forEach((k, v) -> builtIn.put(key(name, k), v));
        }
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().withMapping(PoolwatchConfig.class)
                .withSources(new Layer(builtIn, BUILT_IN, BUILT_IN_ORDINAL));
        // One source per variable, named after it: the name is what the pool's page and the API show as the value's source.
        seedByVariable.forEach((variable, values) -> builder.withSources(new Layer(values, variable, SEED_ORDINAL)));
        return new LowerLayers(builder.build());
    }

    private static String key(String workload, String field) {
        return "poolwatch.pools.\"" + workload + "\"." + field;
    }

    /** The seed variables' pool values. */
    PoolwatchConfig.PoolConfig seed() {
        return mapping.defaults();
    }

    /** The variable(s) that set this seed value. */
    String seedSource(String field) {
        return source("poolwatch.defaults." + field);
    }

    /** The built-in profile of this workload: empty unless it is a standard one. */
    Optional<PoolwatchConfig.PoolConfig> profile(String workload) {
        return Optional.ofNullable(mapping.pools().get(workload));
    }

    /** The built-in base of every pool. */
    PoolwatchConfig.PoolConfig base() {
        return mapping.pools().get(BASE);
    }

    /** {@value #BUILT_IN}, as the source of a built-in value is named; read from the source all the same. */
    String builtInSource(String field) {
        return source(key(BASE, field));
    }

    private String source(String key) {
        String name = config.getConfigValue(key).getSourceName();
        return name == null ? BUILT_IN : name;
    }

    /** A layer's values, named as its values' source is shown. */
    private static final class Layer extends MapBackedConfigSource {
        private static final long serialVersionUID = 1L;

        Layer(Map<String, String> values, String name, int ordinal) {
            super(name, values, ordinal);
        }
    }
}
