package io.poolwatch.health;

import java.util.List;
import java.util.Map;

import io.poolwatch.testing.SmallPostgresCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * poolwatch on a PostgreSQL of its own with 20 connection slots, 3 of them reserved for superusers, through the
 * non-superuser role {@link SmallPostgresCluster#ROLE}: workloads {@code main} (critical) and {@code jobs}, up to 15
 * connections each, so together they ask for more than the 17 usable slots. Validation at its defaults (every 2 s,
 * 2 s timeout), the server read every second, and {@code server-connections} alerting without delay.
 */
public class SaturatedServerProfile implements QuarkusTestProfile {

    static volatile SmallPostgresCluster cluster;

    /** Whether the cluster runs when poolwatch starts. */
    boolean runningAtStart() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Cluster.class, Map.of("running", Boolean.toString(runningAtStart()))));
    }

    /** The server is down when poolwatch starts; the test starts it. */
    public static class ServerDownAtStart extends SaturatedServerProfile {
        @Override
        boolean runningAtStart() {
            return false;
        }
    }

    /** Makes the cluster (left running or stopped, as the profile says) and points poolwatch at it. */
    public static class Cluster implements QuarkusTestResourceLifecycleManager {

        private boolean running = true;

        @Override
        public void init(Map<String, String> initArgs) {
            running = Boolean.parseBoolean(initArgs.getOrDefault("running", "true"));
        }

        @Override
        public Map<String, String> start() {
            cluster = SmallPostgresCluster.create(20, 3);
            if (!running) {
                cluster.stop();
            }
            return Map.ofEntries(
                    Map.entry("DATABASE_URL", cluster.seedUrl()),
                    Map.entry("poolwatch.pools.analytics.enabled", "false"),
                    Map.entry("poolwatch.pools.financial.enabled", "false"),
                    Map.entry("poolwatch.pools.main.min-size", "2"),
                    Map.entry("poolwatch.pools.main.max-size", "15"),
                    Map.entry("poolwatch.pools.main.connect-timeout", "2s"),
                    Map.entry("poolwatch.pools.main.acquisition-timeout", "2s"),
                    Map.entry("poolwatch.pools.jobs.min-size", "1"),
                    Map.entry("poolwatch.pools.jobs.max-size", "15"),
                    Map.entry("poolwatch.pools.jobs.connect-timeout", "2s"),
                    Map.entry("poolwatch.pools.jobs.acquisition-timeout", "2s"),
                    Map.entry("poolwatch.sampling.server-interval", "1s"),
                    Map.entry("poolwatch.sampling.server-query-timeout", "1s"),
                    Map.entry("poolwatch.alerting.evaluation-interval", "1s"),
                    Map.entry("poolwatch.alerting.rules.\"server-connections\".for", "0s"));
        }

        @Override
        public void stop() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
