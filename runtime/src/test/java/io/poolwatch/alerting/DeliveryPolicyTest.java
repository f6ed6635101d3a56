package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.TestConfigs;

/** The retry schedule: doubling from initial-backoff to max-backoff with equal jitter, Retry-After, and the defaults. */
class DeliveryPolicyTest {

    private final DeliveryWorker.Policy policy = new DeliveryWorker.Policy(400, Duration.ofHours(24), Duration.ofSeconds(1),
            Duration.ofMinutes(5));

    @Test
    void doublesFromInitialToMaxWithEqualJitter() {
        // Without jitter's random half (0) and with all of it (just under 1).
        long[] lowest = { 500, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 150000, 150000 };
        for (int failed = 1; failed <= lowest.length; failed++) {
            assertEquals(Duration.ofMillis(lowest[failed - 1]), policy.backoff(failed, 0.0), "after " + failed);
            assertEquals(Duration.ofMillis(lowest[failed - 1] * 2 - 1), policy.backoff(failed, 0.999_999_999),
                    "after " + failed);
        }
        assertEquals(Duration.ofMillis(150_000), policy.backoff(10_000, 0.0), "no overflow after many attempts");
    }

    @Test
    void retryAfterWhenLongerButNeverBeyondMaxBackoff() {
        assertEquals(Duration.ofSeconds(20), policy.delay(1, Optional.of(Duration.ofSeconds(20)), 0.5));
        assertEquals(Duration.ofMillis(750), policy.delay(1, Optional.of(Duration.ofMillis(100)), 0.5));
        assertEquals(Duration.ofMinutes(5), policy.delay(1, Optional.of(Duration.ofHours(2)), 0.5));
    }

    @Test
    void retryAfterAsSecondsOrADate() {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(120)), WebhookSender.retryAfter(" 120 ", now));
        assertEquals(Optional.of(Duration.ofSeconds(90)), WebhookSender.retryAfter("Sun, 01 Mar 2026 10:01:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), WebhookSender.retryAfter("Sun, 01 Mar 2026 09:00:00 GMT", now));
        assertEquals(Optional.empty(), WebhookSender.retryAfter("soon", now));
    }

    @Test
    void verdicts() {
        for (int s : new int[] { 200, 202, 204, 299 }) {
            assertEquals(WebhookSender.Verdict.DELIVERED, WebhookSender.verdict(s), "" + s);
        }
        for (int s : new int[] { 408, 429, 500, 502, 503, 504 }) {
            assertEquals(WebhookSender.Verdict.RETRY, WebhookSender.verdict(s), "" + s);
        }
        for (int s : new int[] { 301, 400, 401, 403, 404, 410, 413, 422 }) {
            assertEquals(WebhookSender.Verdict.REJECTED, WebhookSender.verdict(s), "" + s);
        }
    }

    @Test
    void theDefaultsOfTheMapping() {
        DeliveryWorker.Policy p = DeliveryWorker.Policy.of(TestConfigs.mapping(Map.of()).alerting().outbox());
        assertEquals(policy, p);
    }

    @Test
    void notificationsAreChecked() {
        Instant now = Instant.now();
        assertThrows(IllegalArgumentException.class, () -> new Notification("has space", "r", "g", "firing", 1, "{}", now));
        assertThrows(IllegalArgumentException.class, () -> new Notification("", "r", "g", "firing", 1, "{}", now));
        assertThrows(IllegalArgumentException.class, () -> new Notification("id", "r", "g", "burning", 1, "{}", now));
        assertEquals(36, Notification.create("r", "g", "resolved", 0, "{}", now).id().length());
    }
}
