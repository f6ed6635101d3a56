package io.poolwatch.health;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.poolwatch.testing.FreezableProxy;
import io.poolwatch.testing.TestDatabases;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Two extra workloads, each reaching the test PostgreSQL through its own freezable proxy: {@code ledger} (critical)
 * and {@code reporting} (not critical). Short validation interval and timeout so flips take about a second.
 */
public class FrozenDatabaseProfile implements QuarkusTestProfile {

    static FreezableProxy ledger;
    static FreezableProxy reporting;

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Proxies.class));
    }

    /** Starts the proxies and points the two workloads at them. */
    public static class Proxies implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            TestDatabases.Server pg = TestDatabases.postgres();
            try {
                ledger = new FreezableProxy(pg.host(), pg.port());
                reporting = new FreezableProxy(pg.host(), pg.port());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            // Different users would be clearer, but trust authentication takes any existing role: the port tells them apart.
            return Map.ofEntries(
                    Map.entry("DATABASE_URL", pg.seedUrl()),
                    Map.entry("poolwatch.pools.jobs.enabled", "false"),
                    Map.entry("poolwatch.pools.analytics.enabled", "false"),
                    Map.entry("poolwatch.pools.financial.enabled", "false"),
                    Map.entry("poolwatch.pools.ledger.url", url(pg, ledger)),
                    Map.entry("poolwatch.pools.ledger.critical", "true"),
                    Map.entry("poolwatch.pools.ledger.min-size", "1"),
                    Map.entry("poolwatch.pools.ledger.max-size", "2"),
                    Map.entry("poolwatch.pools.ledger.connect-timeout", "1s"),
                    Map.entry("poolwatch.pools.reporting.url", url(pg, reporting)),
                    Map.entry("poolwatch.pools.reporting.min-size", "1"),
                    Map.entry("poolwatch.pools.reporting.max-size", "2"),
                    Map.entry("poolwatch.pools.reporting.connect-timeout", "1s"),
                    Map.entry("poolwatch.health.validation-interval", "300ms"),
                    Map.entry("poolwatch.health.validation-timeout", "800ms"),
                    Map.entry("poolwatch.sampling.server-query-timeout", "1s"));
        }

        private static String url(TestDatabases.Server pg, FreezableProxy proxy) {
            return "postgresql://" + pg.user() + ":" + pg.password() + "@127.0.0.1:" + proxy.port() + "/"
                    + TestDatabases.DATABASE;
        }

        @Override
        public void stop() {
            try {
                ledger.close();
                reporting.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
