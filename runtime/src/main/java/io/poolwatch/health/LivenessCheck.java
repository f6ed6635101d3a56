package io.poolwatch.health;

import java.time.Duration;

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
    private final long limitNanos;
    /** The answer for the latest tick: a probe between two ticks allocates nothing and reads two volatile fields. */
    private volatile Answer cached;

    private record Answer(long tickNanos, boolean up, HealthCheckResponse response) {
    }

    LivenessCheck(DatabaseValidator validator) {
        this.validator = validator;
        this.limitNanos = validator.interval().multipliedBy(MISSED_TICKS).plusSeconds(5).toNanos();
    }

    @Override
    public HealthCheckResponse call() {
        long tick = validator.lastTickNanos();
        boolean up = System.nanoTime() - tick <= limitNanos;
        Answer answer = cached;
        if (answer != null && answer.tickNanos() == tick && answer.up() == up) {
            return answer.response();
        }
        // Built once per tick (every validation interval), or when the process turns stuck.
        HealthCheckResponse response = HealthCheckResponse.named("poolwatch-process").status(up)
                .withData("timer", "last tick at " + validator.lastTick() + " (limit " + Duration.ofNanos(limitNanos).toMillis()
                        + " ms without one)")
                .build();
        cached = new Answer(tick, up, response);
        return response;
    }
}
