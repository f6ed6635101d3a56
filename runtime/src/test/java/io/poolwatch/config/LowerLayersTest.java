package io.poolwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The layers below the poolwatch.* keys, read through the mapping: every built-in key is one of its keys. */
class LowerLayersTest {

    @Test
    void theSameSeedValuesGetTheLayersBuiltOnceAndOthersTheirOwn() {
        Map<String, SeedEnvironment.SeedValue> seed = Map.of("max-size", new SeedEnvironment.SeedValue("7", "DB_POOL_SIZE"));
        LowerLayers first = LowerLayers.of(seed);
        assertSame(first, LowerLayers.of(Map.copyOf(seed)));
        LowerLayers other = LowerLayers.of(Map.of());
        assertNotSame(first, other);
        assertEquals(Optional.of(7), first.seed().maxSize());
        assertEquals(Optional.empty(), other.seed().maxSize());
    }

    @Test
    void everyBuiltInValueIsReadThroughTheMappingAndNamedBuiltIn() {
        LowerLayers layers = LowerLayers.of(Map.of());
        PoolwatchConfig.PoolConfig base = layers.base();
        // Each written value comes back converted by the mapping's own converter, from the built-in source.
        assertEquals(Optional.of(Converters.parseInt(WorkloadProfiles.BASE.get("max-size"))), base.maxSize());
        assertEquals(Optional.of(Durations.parse(WorkloadProfiles.BASE.get("acquisition-timeout"))),
                base.acquisitionTimeout());
        assertEquals(Optional.of(Converters.parseBoolean(WorkloadProfiles.BASE.get("critical"))), base.critical());
        for (String key : WorkloadProfiles.BASE.keySet()) {
            assertEquals(LowerLayers.BUILT_IN, layers.builtInSource(key), key);
        }
        for (String name : WorkloadProfiles.STANDARD) {
            PoolwatchConfig.PoolConfig profile = layers.profile(name).orElseThrow();
            Map<String, String> written = WorkloadProfiles.profile(name);
            assertEquals(Optional.ofNullable(written.get("max-size")).map(Converters::parseInt), profile.maxSize(), name);
            assertEquals(Optional.ofNullable(written.get("statement-timeout")).map(Durations::parse),
                    profile.statementTimeout(), name);
        }
        assertEquals(Optional.of("serializable"), layers.profile("financial").orElseThrow().transactionIsolation());
        assertEquals(Optional.empty(), layers.profile("reports"));
    }

    @Test
    void eachSeedValueIsNamedAfterTheVariablesThatSetIt() {
        List<String> problems = new ArrayList<>();
        SeedEnvironment seed = SeedEnvironment.read(SeedSource.of(Map.of("DB_POOL_SIZE", "7", "DB_MAX_OVERFLOW", "3",
                "DB_POOL_RECYCLE", "-1", "DB_COMMAND_TIMEOUT", "2.5", "DB_POOL_PRE_PING", "no",
                // Not expanded: a password with "${" reaches the driver as written.
                "DATABASE_URL", "postgresql://app:pa${ss}@db.example/ledger")), problems);
        assertEquals(List.of(), problems);
        LowerLayers layers = LowerLayers.of(seed.pool);
        PoolwatchConfig.PoolConfig values = layers.seed();
        assertEquals(Optional.of(7), values.minSize());
        assertEquals(Optional.of(10), values.maxSize());
        assertEquals(Optional.of(Duration.ZERO), values.maxLifetime());
        assertEquals(Optional.of(Duration.ofMillis(2500)), values.statementTimeout());
        assertEquals(Optional.of(false), values.validateOnBorrow());
        assertEquals(Optional.of("postgresql://app:pa${ss}@db.example/ledger"), values.url());
        assertEquals(Optional.empty(), values.acquisitionTimeout());
        assertEquals("DB_POOL_SIZE", layers.seedSource("min-size"));
        assertEquals("DB_POOL_SIZE + DB_MAX_OVERFLOW", layers.seedSource("max-size"));
        assertEquals("DB_POOL_RECYCLE", layers.seedSource("max-lifetime"));
        assertEquals("DB_COMMAND_TIMEOUT", layers.seedSource("statement-timeout"));
        assertEquals("DATABASE_URL", layers.seedSource("url"));
    }

    @Test
    void aSeedVariableThatDoesNotParseSetsNothing() {
        List<String> problems = new ArrayList<>();
        SeedEnvironment seed = SeedEnvironment.read(SeedSource.of(Map.of("DB_POOL_TIMEOUT", "soon")), problems);
        assertEquals(1, problems.size(), problems.toString());
        LowerLayers layers = LowerLayers.of(seed.pool);
        assertEquals(Optional.empty(), layers.seed().acquisitionTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(30)), layers.base().acquisitionTimeout());
    }
}
