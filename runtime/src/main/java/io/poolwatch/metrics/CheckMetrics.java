package io.poolwatch.metrics;

import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.poolwatch.checks.CheckDefinition;
import io.poolwatch.checks.CheckResult;
import io.poolwatch.checks.CheckStatus;
import io.poolwatch.checks.ConsistencyChecks;
import io.quarkus.runtime.StartupEvent;

/**
 * Binds each consistency check's latest result to Micrometer, labelled {@code check}. Values are NaN until the
 * check's first run, so a check that never ran is not mistaken for a passing one.
 */
@ApplicationScoped
public class CheckMetrics {

    private final MeterRegistry meters;
    private final ConsistencyChecks checks;

    CheckMetrics(MeterRegistry meters, ConsistencyChecks checks) {
        this.meters = meters;
        this.checks = checks;
    }

    void bind(@Observes StartupEvent event) {
        for (CheckDefinition d : checks.definitions()) {
            String name = d.name();
            Tags tags = Tags.of(MetricNames.CHECK, name);
            latest(MetricNames.CHECK_VIOLATIONS, "Violations found by the check's latest completed run", tags, name,
                    r -> r.violations() == null ? Double.NaN : r.violations());
            latest(MetricNames.CHECK_DURATION, "How long the check's latest run took", tags, name,
                    CheckResult::durationSeconds);
            latest(MetricNames.CHECK_FAILING, "1 when the check's latest run failed, errored or timed out, 0 when it passed",
                    tags.and(MetricNames.SEVERITY, d.severity().label()), name, r -> r.checkStatus().failing() ? 1 : 0);
            Gauge.builder(MetricNames.CHECK_LAST_SUCCESS, checks,
                    c -> c.lastSuccess(name).map(r -> r.finishedAt().toEpochMilli() / 1000.0).orElse(Double.NaN))
                    .description("When the check last passed (Unix time)").tags(tags).register(meters);
            for (CheckStatus status : CheckStatus.values()) {
                FunctionCounter.builder(MetricNames.CHECK_RUNS, checks, c -> c.runs(name, status))
                        .description("Runs of the check, by how they ended").tags(tags.and(MetricNames.STATUS, status.label()))
                        .register(meters);
            }
        }
    }

    private void latest(String metric, String help, Tags tags, String name, ToDoubleFunction<CheckResult> value) {
        Gauge.builder(metric, checks, c -> c.latest(name).map(value::applyAsDouble).orElse(Double.NaN))
                .description(help).tags(tags).register(meters);
    }
}
