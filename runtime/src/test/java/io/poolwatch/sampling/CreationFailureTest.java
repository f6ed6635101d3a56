package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.pool.PoolCounters;
import io.poolwatch.pool.PoolGroup;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestConfigs;

/** A database that refuses connections: creation failures are counted with the driver's reason, and callers fail fast. */
class CreationFailureTest {

    @Test
    void refusedConnectionsAreCountedAndExplained() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.pools.jobs.url", "postgresql://app:pw@127.0.0.1:" + closedPort + "/nowhere",
                "poolwatch.pools.jobs.min-size", "1",
                "poolwatch.pools.jobs.connect-timeout", "1s",
                "poolwatch.pools.jobs.acquisition-timeout", "1500ms"), "jobs"), Map.of());
        try (PoolGroup pools = PoolGroup.open(config.pools(), config.monitoring())) {
            WorkloadPool jobs = pools.get("jobs");
            assertThrows(SQLException.class, () -> jobs.dataSource().getConnection());
            Await.until("a creation failure is recorded", () -> jobs.recorder().counters().creationFailures() >= 1);
            PoolCounters c = jobs.recorder().counters();
            assertEquals(1, c.failures());
            assertEquals(0, c.acquired());
            assertEquals(0, jobs.recorder().open());
            String reason = jobs.recorder().lastCreationError().orElseThrow();
            assertTrue(reason.contains("refused") || reason.contains("Connection"), reason);
        }
    }
}
