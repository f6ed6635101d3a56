package io.poolwatch.alerting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.config.ConfigurationCheck;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolPlan;
import io.poolwatch.config.PoolwatchConfig;

/**
 * Alerting's part of the start-up validation: group-by and interval, the rules and thresholds, the receivers, the outbox, the
 * audit's bounds.
 */
@ApplicationScoped
public class AlertingConfigurationCheck implements ConfigurationCheck {

    private final PoolwatchConfig config;

    public AlertingConfigurationCheck(PoolwatchConfig config) {
        this.config = config;
    }

    @Override
    public List<String> problems(PoolPlan pools) {
        List<String> problems = new ArrayList<>(AlertRuleSet.settingsProblems(config));
        Map<String, Map<String, PoolwatchConfig.RuleConfig>> workloads = new LinkedHashMap<>();
        for (String name : pools.workloads().keySet()) {
            PoolwatchConfig.PoolConfig pool = config.pools().get(name);
            workloads.put(name, pool == null ? Map.of() : pool.alerts());
        }
        try {
            AlertRuleSet.parse(config.alerting().rules(), workloads,
                    Alerting.observedAlerts(config.applications(), PoolwatchConfig.ApplicationConfig::alerts),
                    Alerting.observedAlerts(config.pgbouncer(), PoolwatchConfig.PgBouncerConfig::alerts), pools.monitoring());
        } catch (InvalidConfigurationException e) {
            problems.addAll(e.problems());
        }
        try {
            WebhookReceivers.parse(config.alerting().receivers());
        } catch (InvalidConfigurationException e) {
            problems.addAll(e.problems());
        }
        Map<String, Boolean> readOnly = new LinkedHashMap<>();
        pools.workloads().forEach((name, w) -> readOnly.put(name, w.readOnly()));
        problems.addAll(NotificationOutbox.outboxProblems(config.alerting().outbox(), readOnly));
        try {
            AuditLog.Limits.of(config.alerting().audit());
        } catch (InvalidConfigurationException e) {
            problems.addAll(e.problems());
        }
        return problems;
    }
}
