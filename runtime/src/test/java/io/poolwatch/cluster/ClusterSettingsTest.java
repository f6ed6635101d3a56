package io.poolwatch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.testing.TestConfigs;

/** The cluster settings, checked together: every problem named with its key, value and what is accepted. */
class ClusterSettingsTest {

    private static List<String> problems(Map<String, String> props) {
        PoolwatchConfig config = TestConfigs.mapping(props);
        return ClusterJobs.problems(config.cluster(), config.alerting().outbox().workload());
    }

    @Test
    void theDefaultsAreAccepted() {
        assertEquals(List.of(), problems(Map.of()));
        assertEquals(List.of(), problems(Map.of("poolwatch.alerting.outbox.workload", "main")));
        assertEquals(List.of(),
                problems(Map.of("poolwatch.alerting.outbox.workload", "main", "poolwatch.cluster.enabled", "true",
                        "poolwatch.cluster.lock-at-most-for", "2s")));
        assertEquals(List.of(), problems(Map.of("poolwatch.cluster.enabled", "false")));
    }

    @Test
    void everyProblemAtOnce() {
        assertEquals(List.of("poolwatch.cluster.lock-at-most-for=1s: accepted: 2s to 1h",
                "poolwatch.cluster.enabled=true: the locks are kept with the outbox, and the outbox is a local file only one process can "
                        + "open; accepted: false, or set poolwatch.alerting.outbox.workload to a workload every replica shares"),
                problems(Map.of("poolwatch.cluster.enabled", "true", "poolwatch.cluster.lock-at-most-for", "1s")));
        assertEquals(List.of("poolwatch.cluster.lock-at-most-for=2h: accepted: 2s to 1h"),
                problems(Map.of("poolwatch.cluster.lock-at-most-for", "2h")));
    }

    @Test
    void longLockNamesKeepTheirStartAndAHash() {
        assertEquals("check:ledger", ClusterJobs.lockName("check:ledger"));
        String longName = "check:" + "x".repeat(80);
        String a = ClusterJobs.lockName(longName);
        assertEquals(ClusterJobs.MAX_NAME, a.length(), a);
        assertEquals(a, ClusterJobs.lockName(longName));
        assertEquals(false, a.equals(ClusterJobs.lockName(longName + "y")));
    }
}
