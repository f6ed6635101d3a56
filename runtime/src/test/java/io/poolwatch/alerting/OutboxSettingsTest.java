package io.poolwatch.alerting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.ResolvedConfiguration;
import io.poolwatch.testing.TestConfigs;

/** The outbox settings, checked together: every problem named with its key, value and what is accepted. */
class OutboxSettingsTest {

    private static final Map<String, String> SEED = Map.of("DATABASE_URL", "postgresql://app:pw@db.example:5432/app");

    private static List<String> problems(Map<String, String> outbox) {
        Map<String, String> props = new HashMap<>();
        outbox.forEach((k, v) -> props.put("poolwatch.alerting.outbox." + k, v));
        PoolwatchConfig config = TestConfigs.mapping(props);
        ResolvedConfiguration pools = TestConfigs.resolve(props, SEED);
        return NotificationOutbox.outboxProblems(config.alerting().outbox(), pools);
    }

    @Test
    void theDefaultsAreAccepted() {
        assertEquals(List.of(), problems(Map.of()));
        assertEquals(List.of(), problems(Map.of("workload", "main")));
    }

    @Test
    void everyProblemAtOnce() {
        assertEquals(List.of(
                "poolwatch.alerting.outbox.workload=reporting: no such workload; accepted: one of [main, jobs, analytics, financial]",
                "poolwatch.alerting.outbox.max-attempts=0: accepted: 1 or more",
                "poolwatch.alerting.outbox.max-age=0s: accepted: above 0s",
                "poolwatch.alerting.outbox.initial-backoff=0s: accepted: above 0s",
                "poolwatch.alerting.outbox.poll-interval=0s: accepted: above 0s"),
                problems(Map.of("workload", "reporting", "max-attempts", "0", "max-age", "0s", "initial-backoff", "0",
                        "poll-interval", "0ms")));
        assertEquals(List.of(
                "poolwatch.alerting.outbox.workload=analytics: its connections are read-only; accepted: a workload that can write, such as main",
                "poolwatch.alerting.outbox.max-backoff=1s: below initial-backoff=2s; accepted: at least initial-backoff"),
                problems(Map.of("workload", "analytics", "initial-backoff", "2s", "max-backoff", "1s")));
    }
}
