package io.poolwatch.health;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: UP while poolwatch's own timer keeps ticking. It never consults a database: a database outage must not
 * restart every pod.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    /** Ticks missed before the process counts as stuck. */
    private static final int MISSED_TICKS = 10;

    private final DatabaseValidator validator;

    LivenessCheck(DatabaseValidator validator) {
        this.validator = validator;
    }

    @Override
    public HealthCheckResponse call() {
        Instant last = validator.lastTick();
        Duration since = Duration.between(last, Instant.now());
        Duration limit = validator.interval().multipliedBy(MISSED_TICKS).plusSeconds(5);
        return HealthCheckResponse.named("poolwatch-process").status(since.compareTo(limit) <= 0)
                .withData("timer", "last tick " + since.toMillis() + " ms ago (limit " + limit.toMillis() + " ms)").build();
    }
}
