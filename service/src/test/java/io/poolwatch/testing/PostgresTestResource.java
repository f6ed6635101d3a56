package io.poolwatch.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points poolwatch at the test PostgreSQL through the seed variable DATABASE_URL (password included, so tests
 * can prove it is never shown), with small pools and short timeouts that the tests assert against.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestDatabases.Server pg = TestDatabases.postgres();
        Map<String, String> config = new HashMap<>(Map.of(
                "DATABASE_URL", pg.seedUrl(),
                "DB_SLOW_QUERY_THRESHOLD", "0.2",
                "poolwatch.pools.jobs.leak-detection-interval", "400ms",
                "poolwatch.pools.analytics.leak-detection-interval", "0s",
                "poolwatch.pools.jobs.min-size", "1",
                "poolwatch.pools.jobs.max-size", "3",
                "poolwatch.pools.jobs.acquisition-timeout", "300ms",
                "poolwatch.pools.analytics.statement-timeout", "1s",
                "poolwatch.pools.main.min-size", "2",
                "poolwatch.pools.financial.min-size", "2"));
        // The dashboard's tests start faults on the test database on purpose; pointed at a real database without the
        // simulator, the overview would not offer them.
        config.put("poolwatch.simulator.fault-phases", "true");
        return config;
    }

    @Override
    public void stop() {
        // The server outlives the application: other test classes and the JVM's shutdown hook own it.
    }
}
