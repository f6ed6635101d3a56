package io.poolwatch.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The test PostgreSQL as primary with two streaming standbys ({@link ReplicaCluster}) as read replicas, configured both
 * ways poolwatch accepts them: for {@code main} through the seed variables (DB_READ_REPLICAS, weights 3 and 1, the
 * built-in weighted strategy, falling back to the primary), for a workload {@code reports} through the native keys
 * (named replicas, round-robin, fallback=fail). Short validation interval, max-lag 1s and a replica-lag alert at 0.5s
 * that fires at once, so the tests see routing and alerts change within a second or two. The other standard workloads
 * are off. Where the standbys cannot be made the application starts without replicas and the tests skip.
 */
public class ReplicaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestDatabases.Server pg = TestDatabases.postgres();
        Map<String, String> config = new HashMap<>();
        config.put("DATABASE_URL", pg.seedUrl());
        for (String off : List.of("jobs", "analytics", "financial")) {
            config.put("poolwatch.pools." + off + ".enabled", "false");
        }
        config.put("poolwatch.pools.main.min-size", "1");
        config.put("poolwatch.pools.main.max-size", "8");
        config.put("poolwatch.health.validation-interval", "250ms");
        config.put("poolwatch.pools.main.read-routing.max-lag", "1s");
        config.put("poolwatch.alerting.rules.replica-lag.threshold", "0.5");
        config.put("poolwatch.alerting.rules.replica-lag.for", "0s");
        Optional<List<ReplicaCluster.Standby>> standbys = ReplicaCluster.available();
        if (standbys.isEmpty()) {
            return config;
        }
        ReplicaCluster.Standby first = standbys.get().get(0);
        ReplicaCluster.Standby second = standbys.get().get(1);
        config.put("DB_READ_REPLICAS", first.seedUrl() + "," + second.seedUrl());
        config.put("DB_REPLICA_1_WEIGHT", "3");
        config.put("DB_REPLICA_2_WEIGHT", "1");

        String reports = "poolwatch.pools.reports.";
        config.put(reports + "min-size", "1");
        config.put(reports + "max-size", "4");
        config.put(reports + "replicas.east.url", first.jdbcUrl());
        config.put(reports + "replicas.east.name", "reports-east");
        config.put(reports + "replicas.west.url", second.jdbcUrl());
        config.put(reports + "read-routing.strategy", "round-robin");
        config.put(reports + "read-routing.fallback", "fail");
        return config;
    }

    @Override
    public void stop() {
        // The standbys outlive the application: other test classes may use them, and the JVM's exit removes them.
    }
}
