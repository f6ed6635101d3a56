package io.poolwatch.testing;

import java.util.Map;

/**
 * One bad value in every part of the configuration, and one that is not of its type: the configuration check and the
 * extension's start-up refusal are both held to reporting each once, with its key.
 */
public final class BadConfiguration {

    public static final Map<String, String> ONE_PER_PART = Map.ofEntries(
            Map.entry("poolwatch.pools.main.max-size", "-5"),
            Map.entry("poolwatch.pools.analytics.max-size", "abc"),
            Map.entry("DB_MAX_OVERFLOW", "-3"),
            Map.entry("poolwatch.consistency.checks.nightly.kind", "sql"),
            Map.entry("poolwatch.consistency.checks.nightly.sql", "select 1"),
            Map.entry("poolwatch.consistency.checks.nightly.schedule", "every tuesday"),
            Map.entry("poolwatch.consistency.max-concurrent", "0"),
            Map.entry("poolwatch.alerting.receivers.\"Bad Name\".url", "https://hooks.example/alerts"),
            Map.entry("poolwatch.alerting.rules.pool-utilization.threshold", "-1"),
            Map.entry("poolwatch.alerting.outbox.max-attempts", "0"),
            Map.entry("poolwatch.sampling.interval", "0s"),
            Map.entry("poolwatch.cluster.lock-at-most-for", "1s"),
            Map.entry("poolwatch.security.metrics", "sometimes"),
            Map.entry("poolwatch.transactions.max-retries", "-1"),
            Map.entry("poolwatch.health.validation-timeout", "0s"));

    private BadConfiguration() {
    }
}
