package io.poolwatch.alerting;

import jakarta.enterprise.context.ApplicationScoped;

import io.poolwatch.health.ReadinessDetail;

/**
 * The alerting loop's watchdog in readiness's details, under {@value #KEY}: when an evaluation last completed and, if
 * one is stalled, for how long ({@link Alerting#evaluationStatus()}).
 */
@ApplicationScoped
public class EvaluationReadiness implements ReadinessDetail {

    /** The readiness details' key of the alerting watchdog. */
    public static final String KEY = "alert evaluation";

    private final Alerting alerting;

    EvaluationReadiness(Alerting alerting) {
        this.alerting = alerting;
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String describe() {
        return alerting.evaluationStatus().describe();
    }
}
