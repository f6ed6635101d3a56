package io.poolwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.poolwatch.testing.TestConfigs;

/** A wrong pool size is one problem, named by the key or variable that set it, whichever layer it comes from. */
class SeedSizeProblemsTest {

    static final String URL = "postgresql://app@db.example:5432/ledger";

    /** Each case: the keys (poolwatch.* or seed variables), and the key its one problem must name. */
    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (String v : List.of("-1", "0", "-20", "-1000")) {
            out.add(Arguments.of(Map.of("DB_POOL_SIZE", v), "DB_POOL_SIZE=" + v));
            out.add(Arguments.of(Map.of("DB_POOL_SIZE", v, "DB_MAX_OVERFLOW", "5"), "DB_POOL_SIZE=" + v));
        }
        for (String v : List.of("-1", "-30")) {
            out.add(Arguments.of(Map.of("DB_MAX_OVERFLOW", v), "DB_MAX_OVERFLOW=" + v));
            out.add(Arguments.of(Map.of("poolwatch.defaults.min-size", v), "poolwatch.defaults.min-size=" + v));
            out.add(Arguments.of(Map.of("poolwatch.pools.main.min-size", v), "poolwatch.pools.\"main\".min-size=" + v));
            out.add(Arguments.of(Map.of("poolwatch.pools.main.min-size", v, "DB_POOL_SIZE", "4"),
                    "poolwatch.pools.\"main\".min-size=" + v));
            out.add(Arguments.of(Map.of("poolwatch.defaults.max-size", v), "poolwatch.defaults.max-size=" + v));
            out.add(Arguments.of(Map.of("poolwatch.pools.jobs.max-size", v), "poolwatch.pools.\"jobs\".max-size=" + v));
        }
        out.add(Arguments.of(Map.of("poolwatch.pools.financial.max-size", "2"), "poolwatch.pools.\"financial\".max-size=2"));
        out.add(Arguments.of(Map.of("poolwatch.pools.main.initial-size", "-1"), "poolwatch.pools.\"main\".initial-size=-1"));
        return out.build();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void oneProblemNamingTheKey(Map<String, String> keys, String named) {
        Map<String, String> properties = new HashMap<>();
        Map<String, String> seed = new HashMap<>(Map.of("DATABASE_URL", URL));
        keys.forEach((k, v) -> (k.startsWith("poolwatch.") ? properties : seed).put(k, v));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> TestConfigs.resolve(properties, seed));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith(named), e.getMessage());
    }
}
