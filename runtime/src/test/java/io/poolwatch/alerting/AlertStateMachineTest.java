package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** The alert life cycle with an explicit clock: pending, for, firing, keep-firing-for, resolved, retention. */
class AlertStateMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private static Observation obs(double value, double threshold, Duration forDuration, Duration keep) {
        TreeMap<String, String> labels = new TreeMap<>(
                Map.of("alertname", "pool-utilization", "pool", "main", "severity", "warning"));
        return new Observation(AlertRule.POOL_UTILIZATION, labels, Map.of("summary", "s"), value, threshold,
                AlertRule.POOL_UTILIZATION.breaches(value, threshold), forDuration, keep);
    }

    private static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static Alert only(List<Alert> alerts) {
        assertEquals(1, alerts.size(), alerts.toString());
        return alerts.get(0);
    }

    @Test
    void pendingForItsDurationThenFiringThenResolvedAfterKeepFiringFor() {
        AlertStateMachine m = new AlertStateMachine(Duration.ofHours(1));
        Duration forD = Duration.ofSeconds(60);
        Duration keep = Duration.ofSeconds(30);
        assertTrue(m.evaluate(t(0), List.of(obs(0.5, 0.8, forD, keep))).isEmpty(), "below the threshold: inactive");

        Alert pending = only(m.evaluate(t(5), List.of(obs(0.9, 0.8, forD, keep))));
        assertEquals(AlertState.PENDING, pending.state());
        assertEquals(t(5), pending.activeAt());
        assertNull(pending.startsAt());
        assertEquals(AlertState.PENDING, only(m.evaluate(t(64), List.of(obs(0.95, 0.8, forD, keep)))).state(),
                "59 s is not yet 'for'");

        Alert firing = only(m.evaluate(t(65), List.of(obs(0.95, 0.8, forD, keep))));
        assertEquals(AlertState.FIRING, firing.state());
        assertEquals(t(65), firing.startsAt());
        assertEquals(0.95, firing.value());

        // The value drops below, then comes back within keep-firing-for: no flap.
        assertEquals(AlertState.FIRING, only(m.evaluate(t(70), List.of(obs(0.7, 0.8, forD, keep)))).state());
        assertEquals(AlertState.FIRING, only(m.evaluate(t(90), List.of(obs(0.85, 0.8, forD, keep)))).state());
        // It clears for good: firing until 30 s after it cleared, then resolved.
        assertEquals(AlertState.FIRING, only(m.evaluate(t(100), List.of(obs(0.7, 0.8, forD, keep)))).state());
        assertEquals(AlertState.FIRING, only(m.evaluate(t(129), List.of(obs(0.7, 0.8, forD, keep)))).state());
        Alert resolved = only(m.evaluate(t(130), List.of(obs(0.7, 0.8, forD, keep))));
        assertEquals(AlertState.RESOLVED, resolved.state());
        assertEquals(t(130), resolved.endsAt());
        assertEquals(t(65), resolved.startsAt());
    }

    @Test
    void aPendingAlertThatClearsIsForgottenWithoutFiring() {
        AlertStateMachine m = new AlertStateMachine(Duration.ofHours(1));
        m.evaluate(t(0), List.of(obs(0.9, 0.8, Duration.ofMinutes(1), Duration.ZERO)));
        assertTrue(m.evaluate(t(10), List.of(obs(0.1, 0.8, Duration.ofMinutes(1), Duration.ZERO))).isEmpty());
        // Breaching again starts the 'for' over.
        Alert again = only(m.evaluate(t(20), List.of(obs(0.9, 0.8, Duration.ofMinutes(1), Duration.ZERO))));
        assertEquals(t(20), again.activeAt());
        assertEquals(AlertState.PENDING,
                only(m.evaluate(t(79), List.of(obs(0.9, 0.8, Duration.ofMinutes(1), Duration.ZERO)))).state());
    }

    @Test
    void zeroForFiresAtOnceAndZeroThresholdOnACountRuleAlwaysBreaches() {
        AlertStateMachine m = new AlertStateMachine(Duration.ofHours(1));
        assertEquals(AlertState.FIRING, only(m.evaluate(t(0), List.of(obs(0.9, 0.8, Duration.ZERO, Duration.ZERO)))).state());
        assertTrue(AlertRule.LEAKED_CONNECTIONS.breaches(0, 0), "counts breach at the threshold: 0 >= 0");
        assertTrue(!AlertRule.POOL_UTILIZATION.breaches(0.8, 0.8), "ratios breach above it");
    }

    @Test
    void anAlertNoLongerObservedResolvesAndResolvedAlertsLeaveAfterTheRetention() {
        AlertStateMachine m = new AlertStateMachine(Duration.ofMinutes(10));
        Alert firing = only(m.evaluate(t(0), List.of(obs(0.9, 0.8, Duration.ZERO, Duration.ZERO))));
        Alert resolved = only(m.evaluate(t(5), List.of()));
        assertEquals(AlertState.RESOLVED, resolved.state());
        assertEquals(firing.fingerprint(), resolved.fingerprint());
        assertEquals(AlertState.RESOLVED, only(m.evaluate(t(600), List.of())).state());
        assertTrue(m.evaluate(t(606), List.of()).isEmpty());
    }

    @Test
    void aResolvedAlertThatBreachesAgainStartsOver() {
        AlertStateMachine m = new AlertStateMachine(Duration.ofHours(1));
        m.evaluate(t(0), List.of(obs(0.9, 0.8, Duration.ZERO, Duration.ZERO)));
        m.evaluate(t(5), List.of(obs(0.1, 0.8, Duration.ZERO, Duration.ZERO)));
        Alert again = only(m.evaluate(t(10), List.of(obs(0.9, 0.8, Duration.ZERO, Duration.ZERO))));
        assertEquals(AlertState.FIRING, again.state());
        assertEquals(t(10), again.startsAt());
        assertNull(again.endsAt());
    }

    @Test
    void labelsMakeTheIdentity() {
        TreeMap<String, String> a = new TreeMap<>(Map.of("alertname", "x", "pool", "main"));
        TreeMap<String, String> b = new TreeMap<>(Map.of("alertname", "x", "pool", "jobs"));
        assertNotEquals(Fingerprint.of(a), Fingerprint.of(b));
        assertEquals(Fingerprint.of(a), Fingerprint.of(new TreeMap<>(Map.of("pool", "main", "alertname", "x"))));
        assertEquals(16, Fingerprint.of(a).length());
        assertEquals(Fingerprint.of(a),
                Fingerprint.of(new TreeMap<>(Map.of("alertname", "x", "pool", "main", "severity", "critical"))),
                "severity is not part of the identity: an alert whose severity rises stays the same alert");
    }
}
