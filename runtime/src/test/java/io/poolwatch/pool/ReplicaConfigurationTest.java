package io.poolwatch.pool;

import static io.poolwatch.testing.TestConfigs.resolve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolRole;
import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.ReadRouting;
import io.poolwatch.config.ReadStrategy;
import io.poolwatch.config.ReplicaFallback;
import io.poolwatch.config.ReplicaSettings;
import io.poolwatch.config.ResolvedConfiguration;

/** Read replicas from the seed variables and from the native keys: their pools' settings, routing, and refusals. */
class ReplicaConfigurationTest {

    private static final Map<String, String> SEED = Map.of(
            "DATABASE_URL", "postgresql://app:topsecret@db.example:5432/ledger",
            "DB_READ_REPLICAS",
            "postgresql://reader:r1pass@replica1:5432/ledger, postgresql+asyncpg://replica2/ledger?ssl=require",
            "DB_REPLICA_1_WEIGHT", "3");

    private static PoolSettings pool(ResolvedConfiguration c, String name) {
        return c.pool(name).orElseThrow();
    }

    private static List<String> problems(Map<String, String> properties, Map<String, String> seed) {
        return assertThrows(InvalidConfigurationException.class, () -> resolve(properties, seed)).problems();
    }

    private static void assertProblem(List<String> problems, String... fragments) {
        assertTrue(problems.stream().anyMatch(p -> List.of(fragments).stream().allMatch(p::contains)),
                "no problem contains " + List.of(fragments) + " in " + problems);
    }

    @Test
    void seedReplicasGetPoolsOfTheirOwnNamedAfterTheirWorkload() {
        ResolvedConfiguration c = resolve(Map.of(), SEED);
        PoolSettings main = pool(c, "main");
        List<ReplicaSettings> replicas = main.replicas();
        assertEquals(List.of("main-replica-1", "main-replica-2"), replicas.stream().map(ReplicaSettings::name).toList());
        assertEquals(List.of(3, 1), replicas.stream().map(ReplicaSettings::weight).toList());
        assertEquals(List.of("main", "main-replica-1", "main-replica-2", "jobs", "analytics", "financial"),
                c.allPools().stream().map(PoolSettings::name).toList());

        PoolSettings r1 = replicas.get(0).pool();
        assertEquals("jdbc:postgresql://replica1:5432/ledger", r1.url().jdbcUrl());
        assertEquals(PoolRole.REPLICA, r1.role());
        assertTrue(r1.replica());
        assertEquals("main", r1.workload());
        assertEquals(Optional.of("reader"), r1.username());
        assertEquals("r1pass", r1.password().orElseThrow().reveal());
        assertTrue(r1.readOnly(), "a replica's pool is read-only");
        assertFalse(r1.critical(), "a replica is never critical: readiness must not depend on it");
        assertEquals("poolwatch-main-replica-1", r1.applicationName());
        assertEquals(main.maxSize(), r1.maxSize());
        assertEquals(main.statementTimeout(), r1.statementTimeout());
        assertEquals(main.isolation(), r1.isolation());
        assertEquals("DB_READ_REPLICAS", r1.sources().get("url"));
        assertEquals("DB_REPLICA_1_WEIGHT", r1.sources().get("weight"));
        assertTrue(r1.replicas().isEmpty());

        // No user in the second URL: the workload's credentials; the seed's ssl=require becomes the driver's sslmode.
        PoolSettings r2 = replicas.get(1).pool();
        assertEquals(Optional.of("app"), r2.username());
        assertEquals("topsecret", r2.password().orElseThrow().reveal());
        assertEquals("require", r2.jdbcProperties().get("sslmode"));
        assertEquals("built-in", r2.sources().get("weight"));

        assertEquals(ReadRouting.DEFAULT, main.readRouting());
        assertEquals(PoolRole.PRIMARY, main.role());
        assertTrue(pool(c, "jobs").replicas().isEmpty());
    }

    @Test
    void nativeKeysDefineReplicasPerWorkloadAndReplaceTheSeedOnes() {
        Map<String, String> props = new HashMap<>();
        props.put("poolwatch.pools.main.replicas.east.url", "postgresql://east.example:5432/ledger");
        props.put("poolwatch.pools.main.replicas.east.weight", "0");
        props.put("poolwatch.pools.main.replicas.east.name", "main-east");
        props.put("poolwatch.pools.main.replicas.10.url", "jdbc:postgresql://r10.example:5432/ledger");
        props.put("poolwatch.pools.main.replicas.10.max-size", "4");
        props.put("poolwatch.pools.main.replicas.10.min-size", "1");
        props.put("poolwatch.pools.main.replicas.2.url", "postgresql://r2.example:5432/ledger");
        props.put("poolwatch.pools.main.replicas.2.username", "ro");
        props.put("poolwatch.pools.main.replicas.2.password", "ro-secret");
        props.put("poolwatch.pools.main.read-routing.strategy", "round_robin");
        props.put("poolwatch.pools.main.read-routing.max-lag", "5s");
        props.put("poolwatch.defaults.read-routing.fallback", "fail");
        props.put("poolwatch.pools.reports.replicas.1.url", "postgresql://reports-replica.example/ledger");
        props.put("poolwatch.pools.reports.read-routing.max-lag", "0");
        ResolvedConfiguration c = resolve(props, SEED);

        PoolSettings main = pool(c, "main");
        assertEquals(List.of("main-replica-2", "main-replica-10", "main-east"),
                main.replicas().stream().map(ReplicaSettings::name).toList(),
                "numeric ids in numeric order, then named ones; the seed's replicas are not used for main");
        assertEquals(List.of(1, 2, 3), main.replicas().stream().map(ReplicaSettings::index).toList());
        assertEquals(0, main.replicas().get(2).weight());
        PoolSettings r10 = main.replicas().get(1).pool();
        assertEquals(4, r10.maxSize());
        assertEquals(1, r10.minSize());
        assertEquals("poolwatch.pools.\"main\".replicas.\"10\".max-size", r10.sources().get("max-size"));
        PoolSettings r2 = main.replicas().get(0).pool();
        assertEquals(Optional.of("ro"), r2.username());
        assertEquals("ro-secret", r2.password().orElseThrow().reveal());
        assertEquals(new ReadRouting(ReadStrategy.ROUND_ROBIN, Optional.of(Duration.ofSeconds(5)), ReplicaFallback.FAIL),
                main.readRouting());
        assertEquals("poolwatch.defaults.read-routing.fallback", main.sources().get("read-routing.fallback"));
        assertEquals("poolwatch.pools.\"main\".read-routing.strategy", main.sources().get("read-routing.strategy"));

        PoolSettings reports = pool(c, "reports");
        assertEquals(List.of("reports-replica-1"), reports.replicas().stream().map(ReplicaSettings::name).toList());
        assertEquals(Optional.empty(), reports.readRouting().maxLag(), "max-lag 0 removes the bound");
        assertEquals("reports", reports.replicas().get(0).pool().workload());
    }

    @Test
    void seedReplicasCanServeAnotherWorkload() {
        ResolvedConfiguration c = resolve(Map.of("poolwatch.read-replicas.workload", "analytics"), SEED);
        assertTrue(pool(c, "main").replicas().isEmpty());
        assertEquals(List.of("analytics-replica-1", "analytics-replica-2"),
                pool(c, "analytics").replicas().stream().map(ReplicaSettings::name).toList());
    }

    @Test
    void strategiesAndFallbacksAreReadAsTheSeedSpellsThem() {
        assertEquals(ReadStrategy.ROUND_ROBIN, ReadStrategy.parse("round_robin"));
        assertEquals(ReadStrategy.ROUND_ROBIN, ReadStrategy.parse("Round-Robin"));
        assertEquals(ReadStrategy.WEIGHTED, ReadStrategy.parse("weighted"));
        assertEquals(ReplicaFallback.FAIL, ReplicaFallback.parse("fail"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReadStrategy.parse("random"));
        assertTrue(e.getMessage().contains("accepted: round-robin, weighted"), e.getMessage());
    }

    @Test
    void everyReplicaProblemIsNamedAtOnce() {
        Map<String, String> props = new HashMap<>();
        props.put("poolwatch.pools.main.read-routing.strategy", "random");
        props.put("poolwatch.pools.main.read-routing.fallback", "retry");
        props.put("poolwatch.pools.main.replicas.a.url", "postgresql://a.example/ledger");
        props.put("poolwatch.pools.main.replicas.a.weight", "1001");
        props.put("poolwatch.pools.main.replicas.b.weight", "1");
        props.put("poolwatch.pools.main.replicas.c.url", "jdbc:h2:mem:replica");
        props.put("poolwatch.pools.main.replicas.d.url", "mysql://d.example/ledger");
        props.put("poolwatch.pools.main.replicas.e.url", "postgresql://e.example/ledger");
        props.put("poolwatch.pools.main.replicas.e.name", "analytics");
        props.put("poolwatch.pools.main.replicas.Upper.url", "postgresql://u.example/ledger");
        props.put("poolwatch.pools.main.replicas.f.url", "postgresql://f.example/ledger");
        props.put("poolwatch.pools.main.replicas.f.min-size", "9");
        props.put("poolwatch.pools.main.replicas.f.max-size", "3");
        props.put("poolwatch.pools.jobs.enabled", "false");
        props.put("poolwatch.pools.jobs.replicas.1.url", "postgresql://j.example/ledger");
        props.put("poolwatch.defaults.replicas.1.url", "postgresql://x.example/ledger");
        List<String> p = problems(props, Map.of("DATABASE_URL", "postgresql://db.example/ledger"));
        String m = "poolwatch.pools.\"main\".";
        assertProblem(p, m + "read-routing.strategy=random", "accepted: round-robin, weighted");
        assertProblem(p, m + "read-routing.fallback=retry", "accepted: primary, fail");
        assertProblem(p, m + "replicas.\"a\".weight=1001", "0 to 1000");
        assertProblem(p, m + "replicas.\"b\".url: not set");
        assertProblem(p, m + "replicas.\"c\".url", "H2 has no replication");
        assertProblem(p, m + "replicas.\"d\".url", "a mariadb replica", "postgresql");
        assertProblem(p, m + "replicas.\"e\".name=analytics", "another pool already has this name");
        assertProblem(p, "main-replica-Upper", "not a valid pool name", "set " + m + "replicas.\"Upper\".name");
        assertProblem(p, m + "replicas.\"f\".max-size=3", "is below " + m + "replicas.\"f\".min-size=9");
        assertProblem(p, "poolwatch.pools.\"jobs\".replicas", "is disabled");
        assertProblem(p, "poolwatch.defaults.replicas", "belong to one workload");
        assertEquals(11, p.size(), String.join("\n", p));
    }

    @Test
    void replicasNeedTheirWorkloadsOwnDatabase() {
        List<String> p = problems(Map.of(), Map.of("DB_READ_REPLICAS", "postgresql://replica1/app"));
        assertProblem(p, "DB_READ_REPLICAS", "need its own database", "embedded demo database has no replicas");
    }

    @Test
    void noReplicasMeansNothingChanges() {
        ResolvedConfiguration c = resolve(Map.of(), Map.of("DATABASE_URL", "postgresql://db.example/ledger"));
        assertEquals(c.pools(), c.allPools());
        c.pools().forEach(p -> assertEquals(PoolRole.PRIMARY, p.role()));
        c.pools().forEach(p -> assertEquals(p.name(), p.workload()));
    }
}
