package io.poolwatch.alerting;

import java.time.Duration;
import java.util.Optional;

import io.poolwatch.config.Severity;

/**
 * A rule's settings in effect, globally or for one workload.
 *
 * @param rule the rule
 * @param enabled whether it raises alerts
 * @param threshold the value it compares against
 * @param forDuration how long the condition must hold before the alert fires
 * @param keepFiringFor how long a firing alert keeps firing after the condition clears
 * @param severity the alert's severity; empty for consistency-check without an override (each check's own)
 * @param source which key chose the threshold: built-in, a seed variable, poolwatch.alerting.rules or the pool's alerts
 */
public record RuleSettings(AlertRule rule, boolean enabled, double threshold, Duration forDuration, Duration keepFiringFor,
        Optional<Severity> severity, String source) {
}
