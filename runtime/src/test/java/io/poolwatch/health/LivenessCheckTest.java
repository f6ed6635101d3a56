package io.poolwatch.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.poolwatch.testing.TestConfigs;

/**
 * Liveness answers from the validator's timer: the same answer between two ticks (a probe allocates nothing), a new
 * one after a tick, and DOWN once the timer has missed its ticks.
 */
class LivenessCheckTest {

    /** A validator whose timer is moved by the test, not by a thread. */
    static final class SteppedValidator extends DatabaseValidator {
        volatile long tickNanos = System.nanoTime();
        volatile Instant tick = Instant.now();

        SteppedValidator() {
            super(null, TestConfigs.mapping(Map.of("poolwatch.health.validation-interval", "1s")), null);
        }

        void tickAt(long nanos) {
            tickNanos = nanos;
            tick = Instant.now();
        }

        @Override
        public long lastTickNanos() {
            return tickNanos;
        }

        @Override
        public Instant lastTick() {
            return tick;
        }
    }

    @Test
    void oneAnswerPerTickAndDownWhenTheTimerStops() {
        SteppedValidator validator = new SteppedValidator();
        LivenessCheck check = new LivenessCheck(validator);

        HealthCheckResponse first = check.call();
        assertEquals(HealthCheckResponse.Status.UP, first.getStatus());
        assertSame(first, check.call(), "between two ticks the answer is reused");
        assertTrue(first.getData().orElseThrow().get("timer").toString().contains("limit 15000 ms"),
                first.getData().toString());

        validator.tickAt(System.nanoTime());
        HealthCheckResponse second = check.call();
        assertNotSame(first, second, "a tick gives a new answer");
        assertEquals(HealthCheckResponse.Status.UP, second.getStatus());

        // 10 missed ticks of 1 s and 5 s more: stuck.
        validator.tickAt(System.nanoTime() - 16_000_000_000L);
        HealthCheckResponse stuck = check.call();
        assertEquals(HealthCheckResponse.Status.DOWN, stuck.getStatus());
        assertSame(stuck, check.call());
    }
}
