package io.poolwatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.poolwatch.alerting.AlertingConfigurationCheck;
import io.poolwatch.checks.ChecksConfigurationCheck;
import io.poolwatch.cluster.ClusterConfigurationCheck;
import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.health.HealthConfigurationCheck;
import io.poolwatch.sampling.SamplingConfigurationCheck;
import io.poolwatch.security.SecurityConfigurationCheck;
import io.poolwatch.testing.BadConfiguration;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The whole configuration is checked at once: every part's problems, and values not of their type, in one refusal. */
class StartupValidationTest {

    static final Map<String, String> BASE = Map.of("DATABASE_URL", "postgresql://app@db.example:5432/ledger",
            "quarkus.http.host", "127.0.0.1");

    /** One bad value in every part, and one that is not of its type. */
    static final Map<String, String> BAD = BadConfiguration.ONE_PER_PART;

    /** The start of each part's one problem: the key it names. */
    static final List<String> NAMED = List.of(
            "poolwatch.pools.\"main\".max-size=-5",
            "poolwatch.pools.analytics.max-size=abc",
            "DB_MAX_OVERFLOW=-3",
            "poolwatch.consistency.checks.\"nightly\".schedule",
            "poolwatch.consistency.max-concurrent=0",
            "poolwatch.alerting.receivers.\"Bad Name\"",
            "poolwatch.alerting.rules.\"pool-utilization\".threshold=-1",
            "poolwatch.alerting.outbox.max-attempts=0",
            "poolwatch.sampling.interval=0s",
            "poolwatch.cluster.lock-at-most-for=1s",
            "poolwatch.security.metrics=sometimes",
            "poolwatch.transactions.max-retries=-1",
            "poolwatch.health.validation-timeout=0s");

    /**
     * The configuration as Quarkus builds it: the mapping, SmallRye's interceptors and the one keeping unconvertible values.
     */
    static SmallRyeConfig config(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(BASE);
        all.putAll(properties);
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withInterceptors(new UnconvertibleValues())
                .withMapping(PoolwatchConfig.class).withSources(new PropertiesConfigSource(all, "test", 100)).build();
    }

    static PoolPlan validate(SmallRyeConfig config) {
        PoolwatchConfig m = config.getConfigMapping(PoolwatchConfig.class);
        List<ConfigurationCheck> parts = List.of(new AlertingConfigurationCheck(m), new ClusterConfigurationCheck(m),
                new HealthConfigurationCheck(m), new SamplingConfigurationCheck(m),
                pools -> ChecksConfigurationCheck.problems(m.consistency(), List.of(), pools),
                pools -> SecurityConfigurationCheck.problems(config, m.security(), Optional.empty()));
        return StartupValidation.validate(m, config, false, DatabaseKind.POSTGRESQL, "", parts);
    }

    static List<String> problems(Map<String, String> properties) {
        return assertThrows(InvalidConfigurationException.class, () -> validate(config(properties))).problems();
    }

    @Test
    void everyPartIsReportedOnceWithItsKey() {
        List<String> problems = problems(BAD);
        for (String named : NAMED) {
            assertEquals(1, problems.stream().filter(p -> p.startsWith(named)).count(),
                    named + " must begin exactly one problem of:\n" + String.join("\n", problems));
        }
        assertEquals(NAMED.size(), problems.size(), String.join("\n", problems));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> validate(config(BAD)));
        assertTrue(e.getMessage().contains(NAMED.size() + " problems"), e.getMessage());
    }

    @Test
    void aValidConfigurationPasses() {
        PoolPlan plan = validate(config(Map.of("poolwatch.pools.analytics.read-only", "true")));
        assertEquals(List.of("main", "jobs", "analytics", "financial"), List.copyOf(plan.workloads().keySet()));
        assertTrue(plan.workloads().get("analytics").readOnly());
    }

    /** Typed keys of every part: a value not of its type is reported with the other problems, not alone before them. */
    @ParameterizedTest
    @ValueSource(strings = { "poolwatch.pools.main.max-size", "poolwatch.pools.\"main\".min-size",
            "poolwatch.defaults.acquisition-timeout",
            "poolwatch.defaults.validate-on-borrow", "poolwatch.pools.main.replicas.1.weight",
            "poolwatch.pools.main.read-routing.max-lag",
            "poolwatch.monitoring.error-rate-critical", "poolwatch.monitoring.leak-threshold", "poolwatch.sampling.interval",
            "poolwatch.sampling.expected-replicas", "poolwatch.shutdown.drain-timeout", "poolwatch.transactions.max-retries",
            "poolwatch.reconnect.max-concurrent-opens", "poolwatch.reconnect.jitter",
            "poolwatch.health.response-cache", "poolwatch.consistency.max-concurrent", "poolwatch.consistency.demo-checks",
            "poolwatch.cluster.enabled", "poolwatch.cluster.lock-at-most-for", "poolwatch.alerting.group-wait",
            "poolwatch.alerting.enabled", "poolwatch.alerting.outbox.max-attempts", "poolwatch.dashboard.enabled" })
    void aValueNotOfItsTypeIsReportedWithTheOthers(String key) {
        Map<String, String> properties = new HashMap<>(
                Map.of(key, "abc", "poolwatch.alerting.rules.pool-utilization.threshold", "-1",
                        "poolwatch.consistency.checks.nightly.kind", "bogus"));
        if (key.contains(".replicas.")) {
            properties.put("poolwatch.pools.main.replicas.1.url", "postgresql://app@replica1.example:5432/ledger");
        }
        List<String> problems = problems(properties);
        assertEquals(1, problems.stream().filter(p -> p.startsWith(key + "=abc: ")).count(), String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("poolwatch.alerting.rules.\"pool-utilization\".threshold=-1")),
                String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("poolwatch.consistency.checks.\"nightly\".kind")),
                String.join("\n", problems));
        assertEquals(3, problems.size(), String.join("\n", problems));
    }

    @Test
    void theReconnectSpreadIsBounded() {
        List<String> problems = problems(Map.of("poolwatch.reconnect.max-concurrent-opens", "-1",
                "poolwatch.reconnect.jitter", "2m"));
        assertEquals(List.of("poolwatch.reconnect.max-concurrent-opens=-1: accepted: 0 (no cap) to 1000",
                "poolwatch.reconnect.jitter=2m: accepted: 0 (none) to 1m"), problems);
        // 0 turns each off, and is accepted.
        validate(config(Map.of("poolwatch.reconnect.max-concurrent-opens", "0", "poolwatch.reconnect.jitter", "0")));
    }

    @Test
    void valuesFromExpressionsAreJudgedExpanded() {
        PoolwatchConfig m = config(Map.of("poolwatch.sampling.expected-replicas", "${REPLICAS}", "REPLICAS", "3"))
                .getConfigMapping(PoolwatchConfig.class);
        assertEquals(3, m.sampling().expectedReplicas());
        List<String> problems = problems(Map.of("poolwatch.sampling.expected-replicas", "${REPLICAS}", "REPLICAS", "three"));
        assertEquals(1, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).startsWith("poolwatch.sampling.expected-replicas=three: "), problems.get(0));
    }

    @Test
    void aMonitoringPasswordNeedsItsUser() {
        List<String> problems = problems(Map.of("poolwatch.sampling.monitor-password", "s3cret-monitor"));
        assertEquals(1, problems.size(), String.join("\n", problems));
        assertTrue(
                problems.get(0).startsWith(
                        "poolwatch.sampling.monitor-password is set without poolwatch.sampling.monitor-username; accepted: "),
                problems.get(0));
        assertTrue(!problems.get(0).contains("s3cret-monitor"), "the password is never shown: " + problems.get(0));
        Assertions.assertDoesNotThrow(
                () -> validate(config(
                        Map.of("poolwatch.sampling.monitor-username", "watcher", "poolwatch.sampling.monitor-password", "x"))));
    }

    @Test
    void theSamplingIntervalIsNamedAsTheKeyThatWasSet() {
        List<String> problems = problems(Map.of("poolwatch.sampling.interval", "0s"));
        assertEquals(1, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).startsWith("poolwatch.sampling.interval=0s"), problems.get(0));
        List<String> evaluation = problems(Map.of("poolwatch.alerting.evaluation-interval", "0s"));
        assertEquals(1, evaluation.size(), String.join("\n", evaluation));
        assertTrue(evaluation.get(0).startsWith("poolwatch.alerting.evaluation-interval=0s"), evaluation.get(0));
    }
}
