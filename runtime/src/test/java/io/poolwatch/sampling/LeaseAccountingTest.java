package io.poolwatch.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.pool.PoolCounters;
import io.poolwatch.pool.PoolGroup;
import io.poolwatch.pool.WorkloadPool;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.TestConfigs;
import io.poolwatch.testing.TestDatabases;

/** A connection that outlives its max lifetime while leased is closed on return, not returned; the lease still ends. */
class LeaseAccountingTest {

    @Test
    void aConnectionFlushedOnReturnEndsItsLease() throws Exception {
        var config = TestConfigs.resolve(TestConfigs.only(Map.of(
                "poolwatch.pools.jobs.min-size", "0",
                "poolwatch.pools.jobs.initial-size", "0",
                "poolwatch.pools.jobs.max-lifetime", "500ms"), "jobs"),
                Map.of("DATABASE_URL", TestDatabases.postgres().seedUrl()));
        try (PoolGroup pools = PoolGroup.open(config.pools(), config.monitoring())) {
            WorkloadPool jobs = pools.get("jobs");
            try (Connection c = jobs.dataSource().getConnection()) {
                assertEquals(1, jobs.recorder().leased());
                Thread.sleep(1000);
            }
            assertEquals(0, jobs.recorder().leased());
            Await.until("the expired connection is closed", () -> jobs.recorder().counters().destroyed() >= 1);
            PoolCounters c = jobs.recorder().counters();
            assertEquals(c.acquired(), c.returned());
            assertTrue(c.flushed() >= 1, c.toString());
        }
    }
}
