package io.poolwatch.health;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN only when a critical workload's database does not answer, or during shutdown. Every pool has its
 * own entry: UP, DEGRADED (exhausted; a read replica down or lagging) or DOWN, with the figures behind it; each
 * workload with read replicas has one more, saying how many take reads.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final PoolHealth health;
    private final long cacheNanos;
    private volatile HealthCheckResponse cached;
    private volatile long cachedAt;

    ReadinessCheck(PoolHealth health, io.poolwatch.config.PoolwatchConfig config) {
        this.health = health;
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
        return b.build();
    }
}
