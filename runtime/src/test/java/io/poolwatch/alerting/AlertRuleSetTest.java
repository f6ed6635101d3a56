package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.MonitoringSettings;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.Severity;
import io.poolwatch.testing.TestConfigs;

/** Rule settings: built-in thresholds from the seeds, global and per-workload overrides, every problem at once. */
class AlertRuleSetTest {

    private static final MonitoringSettings SEED = new MonitoringSettings(true, Duration.ofSeconds(1), 0.1, 7, false);

    private static AlertRuleSet rules(Map<String, String> properties) {
        PoolwatchConfig config = TestConfigs.mapping(properties);
        Map<String, Map<String, PoolwatchConfig.RuleConfig>> workloads = new LinkedHashMap<>();
        for (String w : List.of("main", "jobs", "analytics", "financial")) {
            PoolwatchConfig.PoolConfig p = config.pools().get(w);
            workloads.put(w, p == null ? Map.of() : p.alerts());
        }
        return AlertRuleSet.parse(config.alerting().rules(), workloads, SEED);
    }

    @Test
    void builtInThresholdsAreTheSeedsOnes() {
        AlertRuleSet r = rules(Map.of());
        assertEquals(0.8, r.settings(AlertRule.POOL_UTILIZATION, Optional.empty()).threshold());
        assertEquals(0.05, r.settings(AlertRule.ERROR_RATE, Optional.empty()).threshold());
        assertEquals(2.0, r.settings(AlertRule.CHECKOUT_TIME, Optional.empty()).threshold());
        assertEquals(7, r.settings(AlertRule.LEAKED_CONNECTIONS, Optional.empty()).threshold(), "DB_CONNECTION_LEAK_THRESHOLD");
        assertEquals(1, r.settings(AlertRule.UNHEALTHY_POOLS, Optional.empty()).threshold());
        assertEquals(0.1, r.errorRateCritical(), "DB_ERROR_RATE_CRITICAL");
        assertEquals(Optional.of(Severity.WARNING), r.settings(AlertRule.POOL_UTILIZATION, Optional.empty()).severity());
        assertEquals(Optional.empty(), r.settings(AlertRule.CONSISTENCY_CHECK, Optional.empty()).severity(),
                "each check's own");
        assertEquals(30, r.settings(AlertRule.BLOCKED_SESSIONS, Optional.empty()).threshold(),
                "seconds a session waits on another's lock");
        assertEquals(1, r.settings(AlertRule.DEADLOCKS, Optional.empty()).threshold());
        assertEquals(0.8, r.observedSettings(AlertRule.APPLICATION_SESSIONS, "any").threshold(), "as pool-utilization");
        assertEquals(60, r.observedSettings(AlertRule.APPLICATION_IDLE_IN_TRANSACTION, "any").threshold(),
                "as idle-in-transaction");
        assertEquals(1, r.observedSettings(AlertRule.PGBOUNCER_CLIENTS_WAITING, "any").threshold());
        assertEquals(5, r.observedSettings(AlertRule.PGBOUNCER_MAX_WAIT, "any").threshold());
        assertEquals(19, r.global().size());
        assertEquals(1, r.settings(AlertRule.PRIMARY_READ_ONLY, Optional.empty()).threshold());
    }

    @Test
    void aWorkloadOverridesTheGlobalWhichOverridesTheBuiltIn() {
        AlertRuleSet r = rules(Map.of(
                "poolwatch.alerting.rules.\"pool-utilization\".threshold", "0.9",
                "poolwatch.alerting.rules.\"pool-utilization\".for", "2m",
                "poolwatch.pools.\"analytics\".alerts.\"pool-utilization\".threshold", "0.99",
                "poolwatch.pools.\"analytics\".alerts.\"slow-queries\".enabled", "false",
                "poolwatch.alerting.rules.\"leaked-connections\".threshold", "0",
                "poolwatch.alerting.rules.\"leaked-connections\".for", "0s"));
        RuleSettings global = r.settings(AlertRule.POOL_UTILIZATION, Optional.of("main"));
        assertEquals(0.9, global.threshold());
        assertEquals(Duration.ofMinutes(2), global.forDuration());
        RuleSettings analytics = r.settings(AlertRule.POOL_UTILIZATION, Optional.of("analytics"));
        assertEquals(0.99, analytics.threshold());
        assertEquals(Duration.ofMinutes(2), analytics.forDuration(), "inherited from the global rule");
        assertEquals("poolwatch.pools.\"analytics\".alerts.\"pool-utilization\".threshold", analytics.source());
        assertFalse(r.settings(AlertRule.SLOW_QUERIES, Optional.of("analytics")).enabled());
        assertTrue(r.settings(AlertRule.SLOW_QUERIES, Optional.of("main")).enabled());
        RuleSettings zero = r.settings(AlertRule.LEAKED_CONNECTIONS, Optional.empty());
        assertEquals(0, zero.threshold(), "a threshold of 0 with for=0s is accepted");
        assertEquals(Duration.ZERO, zero.forDuration());
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        List<String> p = assertThrows(InvalidConfigurationException.class, () -> rules(Map.of(
                "poolwatch.alerting.rules.\"pool-utilisation\".threshold", "0.9",
                "poolwatch.alerting.rules.\"pool-utilization\".threshold", "1.5",
                "poolwatch.alerting.rules.\"checkout-time\".threshold", "fast",
                "poolwatch.alerting.rules.\"error-rate\".for", "soon",
                "poolwatch.alerting.rules.\"error-rate\".severity", "page",
                "poolwatch.pools.\"main\".alerts.\"server-connections\".threshold", "0.5",
                "poolwatch.pools.\"main\".alerts.\"nope\".threshold", "1"))).problems();
        assertTrue(
                p.stream()
                        .anyMatch(l -> l.startsWith(
                                "poolwatch.alerting.rules.\"pool-utilisation\": no such rule; accepted: pool-utilization")),
                p.toString());
        assertTrue(p.stream().anyMatch(l -> l.contains("\"pool-utilization\".threshold=1.5") && l.contains("accepted: 0 to 1")),
                p.toString());
        assertTrue(p.stream().anyMatch(l -> l.contains("\"checkout-time\".threshold=fast") && l.contains("seconds")),
                p.toString());
        assertTrue(p.stream().anyMatch(l -> l.contains("\"error-rate\".for") && l.contains("'soon' is not a duration")),
                p.toString());
        assertTrue(p.stream().anyMatch(l -> l.contains("\"error-rate\".severity") && l.contains("info, warning, critical")),
                p.toString());
        assertTrue(
                p.stream()
                        .anyMatch(l -> l.contains("poolwatch.pools.\"main\".alerts.\"server-connections\"")
                                && l.contains("poolwatch.alerting.rules")),
                p.toString());
        assertTrue(p.stream().anyMatch(l -> l.startsWith("poolwatch.pools.\"main\".alerts.\"nope\": no such rule")),
                p.toString());
        assertEquals(7, p.size(), p.toString());
    }
}
