package io.poolwatch.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.poolwatch.alerting.Alert;
import io.poolwatch.alerting.Alerting;
import io.poolwatch.config.Severity;
import io.quarkus.runtime.StartupEvent;

/** The number of alerts by state and severity: a bounded label set (3 x 3), never one series per alert. */
@ApplicationScoped
public class AlertMetrics {

    private final MeterRegistry meters;
    private final Alerting alerting;

    AlertMetrics(MeterRegistry meters, Alerting alerting) {
        this.meters = meters;
        this.alerting = alerting;
    }

    void bind(@Observes StartupEvent event) {
        for (String state : new String[] { Alert.PENDING, Alert.FIRING, Alert.RESOLVED }) {
            for (Severity severity : Severity.values()) {
                Gauge.builder(MetricNames.ALERTS, alerting, a -> a.alerts().stream()
                        .filter(x -> x.state().equals(state) && severity.label().equals(x.labels().get("severity"))).count())
                        .description("Alerts by state (resolved: within the retention) and severity")
                        .tags(Tags.of(MetricNames.STATE, state, MetricNames.SEVERITY, severity.label())).register(meters);
            }
        }
    }
}
