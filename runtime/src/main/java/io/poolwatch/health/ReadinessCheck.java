package io.poolwatch.health;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.poolwatch.config.PoolwatchConfig;

/**
 * Readiness: DOWN only when a critical workload's database does not answer, or during shutdown. Every pool has its
 * own entry: UP, DEGRADED (exhausted; a read replica down or lagging) or DOWN, with the figures behind it; each
 * workload with read replicas has one more, saying how many take reads.
 * <p>
 * One more entry, {@code alert evaluation}, is the watchdog of the alerting loop: when an evaluation last completed
 * and, if it is stalled, for how long (given by a {@link ReadinessDetail}, {@code io.poolwatch.alerting.EvaluationReadiness}).
 * A stalled evaluation is shown, not
 * made DOWN: readiness decides whether this process gets traffic, and a process whose alert thread is stuck still
 * serves its dashboard, API and pools. Replicas sharing an outbox or silences stall together, so failing readiness
 * would take every one out of service at the moment operators most need the dashboard, and a restart (liveness) would
 * not unblock what stalled it. The {@code poolwatch_alert_evaluation_stalled} gauge is what to alert on.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final PoolHealth health;
    private final Instance<ReadinessDetail> details;
    private final long cacheNanos;
    private volatile HealthCheckResponse cached;
    private volatile long cachedAt;

    ReadinessCheck(PoolHealth health, Instance<ReadinessDetail> details, PoolwatchConfig config) {
        this.health = health;
        this.details = details;
        this.cacheNanos = config.health().responseCache().toNanos();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse answer = cached;
        long now = System.nanoTime();
        // Reused for a short while; never during shutdown, which must show at once.
        if (answer != null && now - cachedAt < cacheNanos && !health.shuttingDown()) {
            return answer;
        }
        answer = compute();
        cached = answer;
        cachedAt = now;
        return answer;
    }

    private HealthCheckResponse compute() {
        List<PoolHealth.PoolState> pools = health.pools();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("poolwatch-pools").status(health.ready(pools));
        if (health.shuttingDown()) {
            b.withData("shutdown", "in progress");
        }
        for (PoolHealth.PoolState p : pools) {
            b.withData(p.pool(), p.readiness() + (p.critical() ? " (critical)" : "") + ": " + p.detail()
                    + p.lastSuccessfulValidation().map(t -> "; last successful validation " + t).orElse(""));
        }
        health.readReplicas().forEach((workload, summary) -> b.withData(workload + " read replicas", summary));
        for (ReadinessDetail d : details) {
            b.withData(d.key(), d.describe());
        }
        return b.build();
    }
}
