package io.poolwatch.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.poolwatch.alerting.AlertRule;
import io.poolwatch.alerting.AlertRuleSet;
import io.poolwatch.health.PoolHealth;
import io.poolwatch.sampling.PoolSnapshot;

/**
 * Every pool's health in the shape of the seed's {@code get_pool_health()}, for
 * {@code GET /api/v1/database/pool/health}: a status, whether it is healthy, the checks behind it (named and shaped as
 * the seed's {@code pool_health.checks}: {@code connection}, {@code pool_saturation}, {@code slow_queries}, and
 * poolwatch's other alert thresholds) and the issues in words. From cached validations and the latest samples only.
 *
 * @param status {@code healthy}; {@code warning} (every pool answers but a figure is at or over its alert threshold);
 *        {@code degraded} (a pool exhausted or saturated, or a non-critical pool's database down); {@code unhealthy} (a
 *        critical pool's database down, or shutting down: readiness is DOWN)
 * @param healthy whether the status is {@code healthy}
 * @param checkedAt when this answer was made
 * @param issues every pool's issues, each prefixed with the pool's name
 * @param pools each pool's health, standard workloads first
 */
public record SeedPoolHealth(String status, boolean healthy, @JsonProperty("checked_at") Instant checkedAt, List<String> issues,
        Map<String, Pool> pools) {

    /** The check statuses, as the seed's health body names them. */
    static final String PASS = "pass";
    static final String WARN = "warn";
    static final String FAIL = "fail";

    /**
     * One pool.
     *
     * @param status {@code healthy}, {@code warning}, {@code degraded} or {@code unhealthy} (its database does not answer)
     * @param healthy whether the status is {@code healthy}
     * @param state the readiness state: UP, DEGRADED or DOWN
     * @param critical whether readiness depends on it
     * @param utilization active connections / max-size, in percent (as the seed's {@code pool_saturation} check)
     * @param awaiting callers waiting for a connection
     * @param sampledAt the latest sample the figures come from; null before the first
     * @param lastSuccessfulValidation when poolwatch last reached its database
     * @param checks each check: a status (pass, warn, fail) and its figures
     * @param issues what is wrong, in words; empty when healthy
     * @param detail the health state's reason and figures, as readiness reports it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pool(String status, boolean healthy, String state, boolean critical, String workload, String role,
            double utilization,
            long awaiting, @JsonProperty("sampled_at") Instant sampledAt,
            @JsonProperty("last_successful_validation") Instant lastSuccessfulValidation,
            Map<String, Map<String, Object>> checks,
            List<String> issues, String detail) {
    }

    /**
     * One pool's entry.
     *
     * @param latest its latest sample, if any
     * @param slowLastMinute slow statements over the last minute of samples, -1 before the first sample
     */
    static Pool of(PoolHealth.PoolState s, int maxSize, Optional<PoolSnapshot> latest, long slowLastMinute,
            AlertRuleSet rules) {
        Optional<String> workload = Optional.of(s.pool());
        double utilWarning = rules.settings(AlertRule.POOL_UTILIZATION, workload).threshold();
        double checkoutLimit = rules.settings(AlertRule.CHECKOUT_TIME, workload).threshold();
        double errorLimit = rules.settings(AlertRule.ERROR_RATE, workload).threshold();
        double leakLimit = rules.settings(AlertRule.LEAKED_CONNECTIONS, workload).threshold();
        double slowLimit = rules.settings(AlertRule.SLOW_QUERIES, workload).threshold();
        Map<String, Map<String, Object>> checks = new LinkedHashMap<>();
        List<String> issues = new ArrayList<>();

        String connection = s.state() == PoolHealth.State.DOWN ? FAIL
                : s.lastSuccessfulValidation().isEmpty() || s.error().isPresent() ? WARN : PASS;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("status", connection);
        c.put("time_ms", round(s.validationMs()));
        s.error().ifPresent(e -> c.put("error", e));
        checks.put("connection", c);
        if (!connection.equals(PASS) || s.state() != PoolHealth.State.UP) {
            issues.add(s.state() + ": " + s.detail());
        }

        boolean exhausted = s.awaiting() > 0 && s.utilization() >= 1;
        String saturation = exhausted || s.saturation().isPresent() ? FAIL : s.utilization() >= utilWarning ? WARN : PASS;
        Map<String, Object> sat = new LinkedHashMap<>();
        sat.put("status", saturation);
        sat.put("utilization", round(s.utilization() * 100));
        sat.put("threshold", round(utilWarning * 100));
        sat.put("awaiting", s.awaiting());
        sat.put("max_size", maxSize);
        s.saturation().ifPresent(r -> sat.put("server_saturated", r));
        checks.put("pool_saturation", sat);
        if (saturation.equals(WARN)) {
            issues.add(String.format(Locale.ROOT, "utilization %.0f%% at or over %.0f%%", s.utilization() * 100,
                    utilWarning * 100));
        }

        Map<String, Object> slow = new LinkedHashMap<>();
        slow.put("status", slowLastMinute >= slowLimit ? WARN : PASS);
        slow.put("last_minute", Math.max(0, slowLastMinute));
        slow.put("threshold", (long) slowLimit);
        checks.put("slow_queries", slow);
        if (slowLastMinute >= slowLimit) {
            issues.add(slowLastMinute + " slow statements in the last minute (threshold " + (long) slowLimit + ")");
        }

        if (latest.isPresent()) {
            PoolSnapshot l = latest.get();
            double p95 = l.checkout() == null || l.checkout().count() == 0 ? 0 : l.checkout().p95() / 1000;
            Map<String, Object> checkout = new LinkedHashMap<>();
            checkout.put("status", p95 >= checkoutLimit ? WARN : PASS);
            checkout.put("p95_seconds", round3(p95));
            checkout.put("threshold_seconds", checkoutLimit);
            checks.put("checkout_time", checkout);
            if (p95 >= checkoutLimit) {
                issues.add(String.format(Locale.ROOT, "checkout p95 %.3fs at or over %.3fs", p95, checkoutLimit));
            }
            Map<String, Object> errors = new LinkedHashMap<>();
            errors.put("status", l.errorRate() >= errorLimit && l.errorRate() > 0 ? WARN : PASS);
            errors.put("rate", round3(l.errorRate()));
            errors.put("threshold", errorLimit);
            checks.put("error_rate", errors);
            if (l.errorRate() >= errorLimit && l.errorRate() > 0) {
                issues.add(String.format(Locale.ROOT, "error rate %.1f%% at or over %.1f%%", l.errorRate() * 100,
                        errorLimit * 100));
            }
            Map<String, Object> leaks = new LinkedHashMap<>();
            leaks.put("status", l.currentLeaks() >= leakLimit ? WARN : PASS);
            leaks.put("current", l.currentLeaks());
            leaks.put("threshold", (long) leakLimit);
            checks.put("leaks", leaks);
            if (l.currentLeaks() >= leakLimit) {
                issues.add(l.currentLeaks() + " connections leaked (threshold " + (long) leakLimit + ")");
            }
        }

        boolean warned = checks.values().stream().anyMatch(m -> !PASS.equals(m.get("status")));
        String status = switch (s.state()) {
            case DOWN -> "unhealthy";
            case DEGRADED -> "degraded";
            case UP -> warned ? "warning" : "healthy";
        };
        return new Pool(status, status.equals("healthy"), s.state().name(), s.critical(), s.workload(), s.role().label(),
                round(s.utilization() * 100),
                s.awaiting(), latest.map(PoolSnapshot::takenAt).orElse(null), s.lastSuccessfulValidation().orElse(null), checks,
                List.copyOf(issues), s.detail());
    }

    /** The whole answer: readiness decides {@code unhealthy}; otherwise the worst pool. */
    static SeedPoolHealth of(boolean ready, Map<String, Pool> pools, Instant now) {
        List<String> issues = new ArrayList<>();
        pools.forEach((name, p) -> p.issues().forEach(i -> issues.add(name + ": " + i)));
        String status;
        if (!ready) {
            status = "unhealthy";
        } else if (pools.values().stream().anyMatch(p -> !p.state().equals(PoolHealth.State.UP.name()))) {
            status = "degraded";
        } else if (pools.values().stream().anyMatch(p -> !p.healthy())) {
            status = "warning";
        } else {
            status = "healthy";
        }
        return new SeedPoolHealth(status, status.equals("healthy"), now, List.copyOf(issues), pools);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
