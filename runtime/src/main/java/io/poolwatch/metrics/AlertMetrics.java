package io.poolwatch.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.poolwatch.alerting.AlertState;
import io.poolwatch.alerting.Alerting;
import io.poolwatch.config.Severity;
import io.quarkus.runtime.StartupEvent;

/**
 * The number of alerts by state and severity: a bounded label set (3 x 3), never one series per alert. And the
 * evaluation watchdog: when evaluation last completed, whether it is stalled, and how long the running one has run, so
 * a stalled alert thread (alerts neither raised nor resolved) can itself be alerted on from Prometheus.
 */
@ApplicationScoped
public class AlertMetrics {

    private final MeterRegistry meters;
    private final Alerting alerting;

    AlertMetrics(MeterRegistry meters, Alerting alerting) {
        this.meters = meters;
        this.alerting = alerting;
    }

    void bind(@Observes StartupEvent event) {
        for (AlertState state : AlertState.values()) {
            for (Severity severity : Severity.values()) {
                Gauge.builder(MetricNames.ALERTS, alerting, a -> a.alerts().stream()
                        .filter(x -> x.state().equals(state) && severity.label().equals(x.labels().get("severity"))).count())
                        .description("Alerts by state (resolved: within the retention) and severity")
                        .tags(Tags.of(MetricNames.STATE, state.label(), MetricNames.SEVERITY, severity.label()))
                        .register(meters);
            }
        }
        Gauge.builder(MetricNames.ALERT_EVALUATION_LAST_SUCCESS, alerting,
                a -> a.evaluationStatus().lastCompleted().map(t -> t.toEpochMilli() / 1000.0).orElse(Double.NaN))
                .description("When alert evaluation last completed (seconds since the epoch); NaN before the first")
                .register(meters);
        Gauge.builder(MetricNames.ALERT_EVALUATION_STALLED, alerting, a -> a.evaluationStatus().stalled() ? 1 : 0)
                .description("1 while alert evaluation is stalled: one running longer than the stall bound (3 evaluation "
                        + "intervals, at least 5s), or none completed for an interval plus that bound")
                .register(meters);
        Gauge.builder(MetricNames.ALERT_EVALUATION_RUNNING, alerting,
                a -> a.evaluationStatus().runningFor().map(d -> d.toMillis() / 1000.0).orElse(0.0))
                .description("How long the alert evaluation running now has been at it (seconds); 0 when none runs")
                .register(meters);
    }
}
