package io.poolwatch.config;

import static io.poolwatch.testing.TestConfigs.resolve;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.testing.TestConfigs;

class PoolSettingsResolverTest {

    private static final Map<String, String> PG = Map.of("DATABASE_URL", "postgresql://app:topsecret@db.example:5432/ledger");

    private static PoolSettings pool(ResolvedConfiguration c, String name) {
        return c.pool(name).orElseThrow();
    }

    private static List<String> problems(Map<String, String> properties, Map<String, String> seed) {
        return assertThrows(InvalidConfigurationException.class, () -> resolve(properties, seed)).problems();
    }

    private static void assertProblem(List<String> problems, String... fragments) {
        boolean found = problems.stream().anyMatch(p -> {
            for (String f : fragments) {
                if (!p.contains(f)) {
                    return false;
                }
            }
            return true;
        });
        assertTrue(found, "no problem contains " + List.of(fragments) + " in " + problems);
    }

    @Test
    void standardWorkloadsExistAndInheritDatabaseUrl() {
        ResolvedConfiguration c = resolve(Map.of(), PG);
        assertEquals(List.of("main", "jobs", "analytics", "financial"), c.pools().stream().map(PoolSettings::name).toList());
        for (PoolSettings p : c.pools()) {
            assertEquals("jdbc:postgresql://db.example:5432/ledger", p.url().jdbcUrl());
            assertEquals(Optional.of("app"), p.username());
            assertEquals("topsecret", p.password().orElseThrow().reveal());
            assertEquals("poolwatch-" + p.name(), p.applicationName());
            assertEquals("DATABASE_URL", p.sources().get("url"));
        }
        assertFalse(c.embedded());
    }

    @Test
    void autosizeIsOffByDefaultWithTheBuiltInPolicyAndItsKeysAreCheckedAgainstTheSizes() {
        ResolvedConfiguration builtIn = resolve(Map.of(), PG);
        PoolSettings main = pool(builtIn, "main");
        // The built-in policy read through the layers is the one a pool without autosizing carries.
        assertEquals(PoolSettings.Autosize.off(main.minSize()), main.autosize());
        assertEquals("built-in", main.sources().get("autosize.mode"));
        assertEquals(1, pool(resolve(Map.of("poolwatch.pools.jobs.min-size", "0"), PG), "jobs").autosize().floor());

        ResolvedConfiguration c = resolve(Map.of("poolwatch.defaults.autosize.mode", "dry-run",
                "poolwatch.pools.main.autosize.mode", "ON", "poolwatch.pools.main.autosize.floor", "10",
                "poolwatch.pools.main.autosize.ceiling", "60", "poolwatch.pools.main.autosize.step", "5",
                "poolwatch.pools.main.autosize.wait-target", "20ms", "poolwatch.pools.main.autosize.lower-after", "10m"), PG);
        PoolSettings.Autosize a = pool(c, "main").autosize();
        assertEquals(new PoolSettings.Autosize(AutosizeMode.ON, 10, Optional.of(60), 5, Duration.ofMillis(20),
                Duration.ofSeconds(15), Duration.ofMinutes(10)), a);
        assertEquals(AutosizeMode.DRY_RUN, pool(c, "jobs").autosize().mode());
        assertEquals("poolwatch.defaults.autosize.mode", pool(c, "jobs").sources().get("autosize.mode"));

        List<String> problems = problems(Map.of("poolwatch.pools.main.autosize.mode", "auto",
                "poolwatch.pools.jobs.autosize.floor", "1", "poolwatch.pools.financial.autosize.ceiling", "14",
                "poolwatch.pools.analytics.autosize.step", "0", "poolwatch.defaults.autosize.lower-after", "0"), PG);
        assertProblem(problems, "poolwatch.pools.\"main\".autosize.mode=auto", "accepted: off, dry-run, on");
        assertProblem(problems, "poolwatch.pools.\"jobs\".autosize.floor=1", "from 2 (the min-size", "to the max-size", "10");
        assertProblem(problems, "poolwatch.pools.\"financial\".autosize.ceiling=14", "from the max-size", "15");
        assertProblem(problems, "poolwatch.pools.\"analytics\".autosize.step=0", "accepted: 1 to 100");
        assertProblem(problems, "poolwatch.defaults.autosize.lower-after=0s", "must be above zero");
    }

    @Test
    void theValidationQueryTimeoutComesThroughTheLayersAndZeroIsRefused() {
        ResolvedConfiguration builtIn = resolve(Map.of(), PG);
        assertEquals(Duration.ofSeconds(5), pool(builtIn, "main").upkeep().validationQueryTimeout());
        assertEquals("built-in", pool(builtIn, "main").sources().get("validation-query-timeout"));
        ResolvedConfiguration c = resolve(Map.of("poolwatch.defaults.validation-query-timeout", "2",
                "poolwatch.pools.financial.validation-query-timeout", "1500ms"), PG);
        assertEquals(Duration.ofSeconds(2), pool(c, "main").upkeep().validationQueryTimeout());
        assertEquals("poolwatch.defaults.validation-query-timeout", pool(c, "main").sources().get("validation-query-timeout"));
        assertEquals(Duration.ofMillis(1500), pool(c, "financial").upkeep().validationQueryTimeout());
        assertProblem(problems(Map.of("poolwatch.pools.jobs.validation-query-timeout", "0"), PG),
                "poolwatch.pools.\"jobs\".validation-query-timeout=0s", "must be above zero");
    }

    @Test
    void workloadProfilesSuitEachWorkload() {
        ResolvedConfiguration c = resolve(Map.of(), PG);
        PoolSettings financial = pool(c, "financial");
        assertEquals(IsolationLevel.SERIALIZABLE, financial.isolation());
        assertTrue(financial.critical());
        assertEquals(Duration.ofSeconds(5), financial.acquisitionTimeout());
        PoolSettings analytics = pool(c, "analytics");
        assertTrue(analytics.readOnly());
        assertFalse(analytics.critical());
        assertEquals(Optional.of(Duration.ofMinutes(5)), analytics.statementTimeout());
        assertEquals(IsolationLevel.READ_COMMITTED, pool(c, "jobs").isolation());
        assertFalse(pool(c, "jobs").critical());
        assertTrue(pool(c, "main").critical());
    }

    @Test
    void seedVariablesTranslateToPoolSettings() {
        Map<String, String> seed = Map.ofEntries(
                Map.entry("DATABASE_URL", "postgresql+asyncpg://app:pw@db/app?ssl=require"),
                Map.entry("DB_POOL_SIZE", "20"),
                Map.entry("DB_MAX_OVERFLOW", "10"),
                Map.entry("DB_POOL_TIMEOUT", "30.0"),
                Map.entry("DB_POOL_RECYCLE", "3600"),
                Map.entry("DB_POOL_PRE_PING", "false"),
                Map.entry("DB_CONNECT_TIMEOUT", "10"),
                Map.entry("DB_COMMAND_TIMEOUT", "45"),
                Map.entry("DB_POOL_USE_LIFO", "true"),
                Map.entry("DB_ECHO_POOL", "true"));
        ResolvedConfiguration c = resolve(Map.of(), seed);
        for (PoolSettings p : c.pools()) {
            assertEquals(20, p.minSize(), p.name());
            assertEquals(30, p.maxSize(), p.name());
            assertEquals(20, p.initialSize(), p.name());
            assertEquals(Duration.ofSeconds(30), p.acquisitionTimeout(), p.name());
            assertEquals(Duration.ofHours(1), p.maxLifetime(), p.name());
            assertFalse(p.validateOnBorrow(), p.name());
            assertEquals(Duration.ofSeconds(10), p.connectTimeout(), p.name());
            assertEquals(Optional.of(Duration.ofSeconds(45)), p.statementTimeout(), p.name());
            assertTrue(p.echo(), p.name());
            assertEquals("require", p.jdbcProperties().get("sslmode"), p.name());
            assertEquals("DB_POOL_SIZE", p.sources().get("min-size"));
            assertEquals("DB_POOL_SIZE + DB_MAX_OVERFLOW", p.sources().get("max-size"));
            assertEquals("DB_POOL_TIMEOUT", p.sources().get("acquisition-timeout"));
        }
        // Seed variables do not undo what a workload is: analytics stays read-only, financial serializable.
        assertTrue(pool(c, "analytics").readOnly());
        assertEquals(IsolationLevel.SERIALIZABLE, pool(c, "financial").isolation());
    }

    @Test
    void overflowAloneUsesTheSeedsDefaultPoolSize() {
        ResolvedConfiguration c = resolve(Map.of(), Map.of("DATABASE_URL", "postgresql://db/app", "DB_MAX_OVERFLOW", "5"));
        assertEquals(25, pool(c, "main").maxSize());
        assertEquals(5, pool(c, "main").minSize());
    }

    @Test
    void recycleMinusOneMeansNever() {
        ResolvedConfiguration c = resolve(Map.of(), Map.of("DATABASE_URL", "postgresql://db/app", "DB_POOL_RECYCLE", "-1"));
        assertEquals(Duration.ZERO, pool(c, "main").maxLifetime());
    }

    @Test
    void commandTimeoutNoneLeavesTheWorkloadsOwn() {
        ResolvedConfiguration c = resolve(Map.of(),
                Map.of("DATABASE_URL", "postgresql://db/app", "DB_COMMAND_TIMEOUT", "None"));
        assertEquals(Optional.of(Duration.ofMinutes(5)), pool(c, "analytics").statementTimeout());
    }

    @Test
    void monitoringVariablesTranslate() {
        ResolvedConfiguration c = resolve(Map.of(), Map.of("DATABASE_URL", "postgresql://db/app", "DB_MONITOR_ENABLED", "false",
                "DB_SLOW_QUERY_THRESHOLD", "0.5", "DB_ERROR_RATE_CRITICAL", "0.1", "DB_CONNECTION_LEAK_THRESHOLD", "3",
                "DATABASE_ECHO", "true"));
        assertEquals(new MonitoringSettings(false, Duration.ofMillis(500), 0.1, 3, true), c.monitoring());
    }

    @Test
    void monitoringDefaultsAreTheGuidesThresholds() {
        assertEquals(new MonitoringSettings(true, Duration.ofSeconds(1), 0.05, 5, false), resolve(Map.of(), PG).monitoring());
    }

    @Test
    void nativeKeysOverrideSeedVariablesAndPoolKeysOverrideDefaults() {
        ResolvedConfiguration c = resolve(Map.of(
                "poolwatch.defaults.max-size", "40",
                "poolwatch.pools.financial.max-size", "12",
                "poolwatch.pools.financial.transaction-isolation", "repeatable-read",
                "poolwatch.monitoring.slow-query-threshold", "250ms"),
                Map.of("DATABASE_URL", "postgresql://db/app", "DB_POOL_SIZE", "8", "DB_SLOW_QUERY_THRESHOLD", "2"));
        assertEquals(40, pool(c, "main").maxSize());
        assertEquals("poolwatch.defaults.max-size", pool(c, "main").sources().get("max-size"));
        assertEquals(12, pool(c, "financial").maxSize());
        assertEquals("poolwatch.pools.\"financial\".max-size", pool(c, "financial").sources().get("max-size"));
        assertEquals(8, pool(c, "financial").minSize());
        assertEquals(IsolationLevel.REPEATABLE_READ, pool(c, "financial").isolation());
        assertEquals(Duration.ofMillis(250), c.monitoring().slowQueryThreshold());
    }

    @Test
    void aDeploymentAddsAndDisablesWorkloads() {
        ResolvedConfiguration c = resolve(Map.of(
                "poolwatch.pools.jobs.enabled", "false",
                "poolwatch.pools.reporting.url", "jdbc:mariadb://reports:3306/r",
                "poolwatch.pools.reporting.max-size", "3",
                "poolwatch.pools.reporting.min-size", "1",
                "poolwatch.pools.reporting.jdbc-properties.useCompression", "true"), PG);
        assertEquals(List.of("main", "analytics", "financial", "reporting"),
                c.pools().stream().map(PoolSettings::name).toList());
        PoolSettings reporting = pool(c, "reporting");
        assertEquals(DatabaseKind.MARIADB, reporting.url().kind());
        assertEquals("poolwatch-reporting", reporting.applicationName());
        assertEquals("true", reporting.jdbcProperties().get("useCompression"));
        assertEquals(3, reporting.maxSize());
    }

    @Test
    void readReplicasAndWeightsAreParsed() {
        ResolvedConfiguration c = resolve(Map.of(), Map.of("DATABASE_URL", "postgresql://db/app",
                "DB_READ_REPLICAS", "postgresql://u:p@replica1:5432/app, postgresql://u:p@replica2:5432/app",
                "DB_REPLICA_1_WEIGHT", "2"));
        List<ReplicaSettings> replicas = pool(c, "main").replicas();
        assertEquals(2, replicas.size());
        assertEquals(2, replicas.get(0).weight());
        assertEquals(1, replicas.get(1).weight());
        assertEquals("jdbc:postgresql://replica2:5432/app", replicas.get(1).url().jdbcUrl());
        assertTrue(pool(c, "jobs").replicas().isEmpty());
    }

    @Test
    void noUrlAnywhereStartsTheEmbeddedDatabaseOnce() {
        int[] started = { 0 };
        ResolvedConfiguration c = PoolSettingsResolver.resolve(TestConfigs.mapping(Map.of()), SeedSource.of(Map.of()), () -> {
            started[0]++;
            return "jdbc:postgresql://127.0.0.1:5555/poolwatch?user=postgres";
        });
        assertTrue(c.embedded());
        assertEquals(1, started[0]);
        assertEquals("embedded", pool(c, "main").sources().get("url"));
    }

    @Test
    void theEmbeddedDemoDetectsLeaksWithinAMinuteUnlessConfigured() {
        ResolvedConfiguration c = PoolSettingsResolver.resolve(
                TestConfigs.mapping(Map.of("poolwatch.pools.main.leak-detection-interval", "2m")),
                SeedSource.of(Map.of()), () -> "jdbc:postgresql://127.0.0.1:5555/poolwatch?user=postgres");
        assertEquals(Duration.ofSeconds(30), pool(c, "jobs").leakDetectionInterval());
        assertEquals("embedded demo", pool(c, "jobs").sources().get("leak-detection-interval"));
        assertEquals(Duration.ofMinutes(2), pool(c, "main").leakDetectionInterval());
        assertEquals(Duration.ofMinutes(5), pool(resolve(Map.of(), PG), "jobs").leakDetectionInterval());
    }

    @Test
    void theEmbeddedDatabaseDoesNotStartWhenTheConfigurationIsInvalid() {
        assertThrows(InvalidConfigurationException.class,
                () -> resolve(Map.of("poolwatch.pools.main.max-size", "0"), Map.of()));
    }

    // ---- every validation error names the key, the value and what is accepted ----

    @Test
    void negativeOrZeroSizes() {
        List<String> p = problems(Map.of("poolwatch.pools.main.max-size", "0", "poolwatch.pools.jobs.min-size", "-1"), PG);
        assertProblem(p, "poolwatch.pools.\"main\".max-size=0", "at least 1");
        assertProblem(p, "poolwatch.pools.\"jobs\".min-size=-1", "0 or more");
        List<String> seed = problems(Map.of(),
                Map.of("DATABASE_URL", "postgresql://db/app", "DB_POOL_SIZE", "0", "DB_MAX_OVERFLOW", "-2"));
        assertProblem(seed, "DB_POOL_SIZE=0", "at least 1");
        assertProblem(seed, "DB_MAX_OVERFLOW=-2", "0 or more");
    }

    @Test
    void maxBelowMin() {
        List<String> p = problems(Map.of("poolwatch.pools.analytics.min-size", "8"), PG);
        assertProblem(p, "max-size (built-in for workload 'analytics')=5", "poolwatch.pools.\"analytics\".min-size=8",
                "at least 8");
        List<String> q = problems(Map.of("poolwatch.pools.main.min-size", "10", "poolwatch.pools.main.max-size", "4"), PG);
        assertProblem(q, "poolwatch.pools.\"main\".max-size=4", "poolwatch.pools.\"main\".min-size=10");
    }

    @Test
    void initialSizeAboveMax() {
        assertProblem(problems(Map.of("poolwatch.pools.jobs.initial-size", "50"), PG),
                "poolwatch.pools.\"jobs\".initial-size=50",
                "between 0 and the max-size");
    }

    @Test
    void malformedUrlsNameTheirKeyAndHideThePassword() {
        List<String> p = problems(Map.of("poolwatch.pools.financial.url", "postgresql://u:topsecret@db:99999/x"),
                Map.of("DATABASE_URL", "mongodb://u:topsecret@db/x"));
        assertProblem(p, "poolwatch.pools.\"financial\".url", "port", "accepted");
        assertProblem(p, "DATABASE_URL", "'mongodb://...'", "accepted");
        p.forEach(line -> assertFalse(line.contains("topsecret"), line));
    }

    @Test
    void unknownIsolationLevel() {
        assertProblem(problems(Map.of("poolwatch.pools.financial.transaction-isolation", "snapshot"), PG),
                "poolwatch.pools.\"financial\".transaction-isolation=snapshot",
                "read-committed, repeatable-read, serializable");
    }

    @Test
    void unparseableSeedDurationsAndBooleans() {
        List<String> p = problems(Map.of(), Map.of("DATABASE_URL", "postgresql://db/app", "DB_POOL_TIMEOUT", "soon",
                "DB_POOL_PRE_PING", "perhaps", "DB_POOL_SIZE", "twenty", "DB_ERROR_RATE_CRITICAL", "5"));
        assertProblem(p, "DB_POOL_TIMEOUT=soon", Durations.ACCEPTED);
        assertProblem(p, "DB_POOL_PRE_PING=perhaps", Converters.ACCEPTED_BOOLEANS);
        assertProblem(p, "DB_POOL_SIZE=twenty", "whole number");
        assertProblem(p, "DB_ERROR_RATE_CRITICAL=5", "between 0 and 1");
    }

    @Test
    void lifoIsAcceptedButMustBeABoolean() {
        resolve(Map.of(), Map.of("DATABASE_URL", "postgresql://db/app", "DB_POOL_USE_LIFO", "false"));
        assertProblem(problems(Map.of(), Map.of("DATABASE_URL", "postgresql://db/app", "DB_POOL_USE_LIFO", "sometimes")),
                "DB_POOL_USE_LIFO=sometimes", Converters.ACCEPTED_BOOLEANS);
    }

    @Test
    void theOlderDbEchoVariableTurnsOnSqlEcho() {
        assertTrue(resolve(Map.of(), Map.of("DATABASE_URL", "postgresql://db/app", "DB_ECHO", "yes")).monitoring().sqlEcho());
    }

    @Test
    void unparseableNativeBooleansAreRejectedByTheMapping() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> TestConfigs.mapping(Map.of("poolwatch.pools.financial.critical", "ture")));
        String message = allMessages(e);
        assertTrue(message.contains("poolwatch.pools.financial.critical"), message);
        assertTrue(message.contains(Converters.ACCEPTED_BOOLEANS), message);
    }

    @Test
    void unparseableNativeDurationsAreRejectedByTheMapping() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> TestConfigs.mapping(Map.of("poolwatch.pools.main.acquisition-timeout", "soon", "DATABASE_URL", "x")));
        String message = allMessages(e);
        assertTrue(message.contains("poolwatch.pools.main.acquisition-timeout"), message);
        assertTrue(message.contains("soon"), message);
        assertTrue(message.contains(Durations.ACCEPTED), message);
    }

    @Test
    void zeroAcquisitionTimeout() {
        assertProblem(problems(Map.of("poolwatch.defaults.acquisition-timeout", "0s"), PG),
                "poolwatch.defaults.acquisition-timeout=0s",
                "above zero");
    }

    @Test
    void replicaWeightsWithoutReplicas() {
        assertProblem(problems(Map.of(), Map.of("DATABASE_URL", "postgresql://db/app", "DB_REPLICA_1_WEIGHT", "2")),
                "DB_REPLICA_1_WEIGHT=2", "DB_READ_REPLICAS is not");
        assertProblem(
                problems(Map.of(), Map.of("DATABASE_URL", "postgresql://db/app", "DB_READ_REPLICAS", "postgresql://r1/app",
                        "DB_REPLICA_3_WEIGHT", "2")),
                "DB_REPLICA_3_WEIGHT=2", "DB_REPLICA_1_WEIGHT to DB_REPLICA_1_WEIGHT");
    }

    @Test
    void replicasReferencingAnUndefinedWorkload() {
        assertProblem(problems(Map.of("poolwatch.read-replicas.workload", "reads"),
                Map.of("DATABASE_URL", "postgresql://db/app", "DB_READ_REPLICAS", "postgresql://r1/app")),
                "poolwatch.read-replicas.workload=reads", "not defined", "[main, jobs, analytics, financial]");
        assertProblem(problems(Map.of("poolwatch.pools.main.enabled", "false"),
                Map.of("DATABASE_URL", "postgresql://db/app", "DB_READ_REPLICAS", "postgresql://r1/app")),
                "poolwatch.read-replicas.workload=main", "disabled");
    }

    @Test
    void aWorkloadWithoutAnyUrlWhenOthersHaveOne() {
        assertProblem(problems(Map.of("poolwatch.pools.main.url", "postgresql://db/app"), Map.of()),
                "poolwatch.pools.\"jobs\".url", "not set", "poolwatch.pools.\"jobs\".enabled=false");
    }

    @Test
    void invalidWorkloadNames() {
        assertProblem(problems(Map.of("poolwatch.pools.\"Bad Name\".url", "postgresql://db/app"), PG), "'Bad Name'",
                "lower-case letters");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> p = problems(
                Map.of("poolwatch.pools.main.max-size", "0", "poolwatch.pools.financial.transaction-isolation", "x"),
                Map.of("DATABASE_URL", "postgresql://db/app", "DB_POOL_TIMEOUT", "soon"));
        assertEquals(3, p.size(), p.toString());
    }

    @Test
    void passwordsNeverAppearInProblems() {
        List<String> p = problems(Map.of("poolwatch.pools.main.password", "hunter2", "poolwatch.pools.main.max-size", "0"),
                Map.of("DATABASE_URL", "postgresql://app:hunter2@db:70000/app"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> resolve(Map.of("poolwatch.pools.main.password", "hunter2", "poolwatch.pools.main.max-size", "0"),
                        Map.of("DATABASE_URL", "postgresql://app:hunter2@db:70000/app")));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        p.forEach(line -> assertFalse(line.contains("hunter2"), line));
    }

    @Test
    void settingsNeverPrintThePassword() {
        PoolSettings main = pool(resolve(Map.of(), PG), "main");
        assertFalse(main.toString().contains("topsecret"), main.toString());
    }

    @Test
    void financialAndMainHaveASocketTimeoutAboveTheirStatementTimeoutByDefault() {
        ResolvedConfiguration c = resolve(Map.of(), PG);
        assertEquals(Optional.of(Duration.ofSeconds(10)), pool(c, "financial").statementTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(25)), pool(c, "financial").socketTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(30)), pool(c, "main").statementTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(45)), pool(c, "main").socketTimeout());
        // Long statements are what jobs and analytics are for: no socket timeout unless configured.
        assertEquals(Optional.empty(), pool(c, "jobs").socketTimeout());
        assertEquals(Optional.empty(), pool(c, "analytics").socketTimeout());
        assertEquals("built-in", pool(c, "financial").sources().get("socket-timeout"));
    }

    @Test
    void theBuiltInSocketTimeoutFollowsAConfiguredStatementTimeout() {
        ResolvedConfiguration seed = resolve(Map.of(),
                Map.of("DATABASE_URL", "postgresql://db/app", "DB_COMMAND_TIMEOUT", "60"));
        assertEquals(Optional.of(Duration.ofSeconds(75)), pool(seed, "main").socketTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(75)), pool(seed, "financial").socketTimeout());
        // Statements without a time limit: a socket timeout would cut off a legitimate long one.
        ResolvedConfiguration unlimited = resolve(Map.of("poolwatch.pools.main.statement-timeout", "0"), PG);
        assertEquals(Optional.empty(), pool(unlimited, "main").socketTimeout());
    }

    @Test
    void theSocketTimeoutKeyOverridesTheBuiltIn() {
        ResolvedConfiguration c = resolve(
                Map.of("poolwatch.pools.financial.socket-timeout", "40s", "poolwatch.pools.main.socket-timeout", "0",
                        "poolwatch.defaults.socket-timeout", "10m"),
                PG);
        assertEquals(Optional.of(Duration.ofSeconds(40)), pool(c, "financial").socketTimeout());
        assertEquals("poolwatch.pools.\"financial\".socket-timeout", pool(c, "financial").sources().get("socket-timeout"));
        assertEquals(Optional.empty(), pool(c, "main").socketTimeout(), "0 means none");
        assertEquals(Optional.of(Duration.ofMinutes(10)), pool(c, "analytics").socketTimeout());
        assertEquals("poolwatch.defaults.socket-timeout", pool(c, "analytics").sources().get("socket-timeout"));
    }

    @Test
    void aSocketTimeoutNotAboveTheStatementTimeoutIsRefused() {
        List<String> p = problems(
                Map.of("poolwatch.pools.financial.socket-timeout", "10s", "poolwatch.defaults.socket-timeout", "1m",
                        "poolwatch.pools.main.statement-timeout", "2m", "poolwatch.pools.jobs.max-size", "0"),
                PG);
        assertProblem(p, "poolwatch.pools.\"financial\".socket-timeout=10s",
                "not above the statement timeout of pool 'financial', 10s",
                "the built-in statement-timeout of workload 'financial'",
                "accepted: a socket-timeout above 10s, or 0 for none");
        assertProblem(p, "poolwatch.defaults.socket-timeout=1m", "pool 'main', 2m",
                "poolwatch.pools.\"main\".statement-timeout",
                "accepted: a socket-timeout above 2m");
        assertProblem(p, "poolwatch.defaults.socket-timeout=1m", "pool 'analytics', 5m");
        assertProblem(p, "poolwatch.defaults.socket-timeout=1m", "pool 'jobs', 5m");
        // Reported with every other problem at once.
        assertProblem(p, "poolwatch.pools.\"jobs\".max-size=0");
        assertEquals(5, p.size(), String.join("\n", p));
    }

    @Test
    void badSocketTimeoutValuesNameTheKeyTheValueAndWhatIsAccepted() {
        for (String bad : List.of("soon", "-5s")) {
            List<String> p = StartupValidationTest.problems(Map.of("poolwatch.pools.financial.socket-timeout", bad));
            assertEquals(1, p.size(), String.join("\n", p));
            assertProblem(p, "poolwatch.pools.financial.socket-timeout=" + bad, Durations.ACCEPTED);
        }
        List<String> p = problems(Map.of("poolwatch.pools.main.jdbc-properties.socketTimeout", "30s",
                "poolwatch.pools.financial.url", "mysql://app@db.example/ledger?socketTimeout=-1"), PG);
        assertProblem(p, "poolwatch.pools.\"main\".jdbc-properties.socketTimeout=30s", "not a socket timeout",
                "accepted: a whole number of seconds (pgjdbc's unit), 0 for none, or poolwatch.pools.\"main\".socket-timeout");
        assertProblem(p, "poolwatch.pools.\"financial\".url (URL parameter socketTimeout)=-1",
                "accepted: a whole number of milliseconds (MariaDB Connector/J's unit)");
    }

    @Test
    void aSocketTimeoutDriverPropertyCountsWhereTheKeyIsNotSetAndNeverBesideIt() {
        ResolvedConfiguration c = resolve(Map.of("poolwatch.pools.main.jdbc-properties.socketTimeout", "50",
                "poolwatch.pools.jobs.jdbc-properties.sockettimeout", "0",
                "poolwatch.pools.financial.url", "jdbc:mariadb://db.example/ledger?socketTimeout=20000"), PG);
        assertEquals(Optional.of(Duration.ofSeconds(50)), pool(c, "main").socketTimeout());
        assertEquals("poolwatch.pools.\"main\".jdbc-properties.socketTimeout", pool(c, "main").sources().get("socket-timeout"));
        assertEquals(Optional.empty(), pool(c, "jobs").socketTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(20)), pool(c, "financial").socketTimeout());
        assertEquals("poolwatch.pools.\"financial\".url (URL parameter socketTimeout)",
                pool(c, "financial").sources().get("socket-timeout"));

        List<String> p = problems(
                Map.of("poolwatch.pools.main.jdbc-properties.socketTimeout", "50", "poolwatch.pools.main.socket-timeout", "60s",
                        "poolwatch.pools.financial.url", "postgresql://app@db.example/ledger?socketTimeout=5"),
                PG);
        assertProblem(p,
                "poolwatch.pools.\"main\".jdbc-properties.socketTimeout=50 and poolwatch.pools.\"main\".socket-timeout=1m",
                "accepted: poolwatch.pools.\"main\".socket-timeout alone");
        // A driver's own value is held to the same rule: 5 s would cut off financial's statements before the server does.
        assertProblem(p,
                "poolwatch.pools.\"financial\".url (URL parameter socketTimeout)=5 is not above the statement timeout");
        assertEquals(2, p.size(), String.join("\n", p));
    }

    @Test
    void readReplicasTakeTheirWorkloadsSocketTimeout() {
        ResolvedConfiguration c = resolve(Map.of("poolwatch.pools.financial.socket-timeout", "40s",
                "poolwatch.pools.financial.replicas.1.url", "postgresql://app@replica1.example:5432/ledger",
                "poolwatch.pools.main.replicas.1.url", "postgresql://app@replica1.example:5432/ledger",
                "poolwatch.pools.main.replicas.2.url", "postgresql://app@replica2.example:5432/ledger?socketTimeout=60"), PG);
        PoolSettings financialReplica = pool(c, "financial").replicas().get(0).pool();
        assertEquals(Optional.of(Duration.ofSeconds(40)), financialReplica.socketTimeout());
        assertEquals("poolwatch.pools.\"financial\".socket-timeout", financialReplica.sources().get("socket-timeout"));
        List<ReplicaSettings> main = pool(c, "main").replicas();
        assertEquals(Optional.of(Duration.ofSeconds(45)), main.get(0).pool().socketTimeout());
        // Without the key, a replica's own URL parameter is its socket timeout, as a workload's is.
        assertEquals(Optional.of(Duration.ofSeconds(60)), main.get(1).pool().socketTimeout());
        assertEquals("poolwatch.pools.\"main\".replicas.\"2\".url (URL parameter socketTimeout)",
                main.get(1).pool().sources().get("socket-timeout"));
        List<String> p = problems(Map.of("poolwatch.pools.financial.socket-timeout", "40s",
                "poolwatch.pools.financial.replicas.2.url", "postgresql://app@replica2.example:5432/ledger?socketTimeout=30"),
                PG);
        assertProblem(p, "poolwatch.pools.\"financial\".replicas.\"2\".url (URL parameter socketTimeout)=30 and "
                + "poolwatch.pools.\"financial\".socket-timeout=40s both set the socket timeout");
    }

    @Test
    void h2TakesNoSocketTimeout() {
        ResolvedConfiguration c = resolve(
                Map.of("poolwatch.defaults.url", "jdbc:h2:mem:socket", "poolwatch.pools.jobs.socket-timeout", "10m"),
                Map.of());
        assertEquals(Optional.empty(), pool(c, "main").socketTimeout());
        assertEquals(Optional.empty(), pool(c, "jobs").socketTimeout());
        assertEquals("not applicable to H2", pool(c, "jobs").sources().get("socket-timeout"));
    }

    private static String allMessages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
            for (Throwable s : c.getSuppressed()) {
                sb.append(allMessages(s));
            }
        }
        return sb.toString();
    }
}
