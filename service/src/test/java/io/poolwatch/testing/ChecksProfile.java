package io.poolwatch.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test PostgreSQL ({@link PostgresTestResource}) with three checks: one passing and one broken on a 1 s schedule,
 * and one failing that runs only on request. A profile of its own, so other tests' pools are not used by checks.
 */
public class ChecksProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        String check = "poolwatch.consistency.checks.";
        config.put("poolwatch.consistency.initial-delay", "200ms");
        config.put(check + "test-passes.kind", "sql");
        config.put(check + "test-passes.sql", "SELECT COUNT(*) FROM pg_catalog.pg_class WHERE false");
        config.put(check + "test-passes.schedule", "1s");
        config.put(check + "test-broken.kind", "sql");
        config.put(check + "test-broken.sql", "SELECT COUNT(*) FROM no_such_table");
        config.put(check + "test-broken.schedule", "1s");
        config.put(check + "test-broken.severity", "critical");
        config.put(check + "test-fails.kind", "sql");
        config.put(check + "test-fails.sql", "SELECT 3");
        config.put(check + "test-fails.sample-sql", "SELECT 42 AS account, 'someone@example.com' AS customer_email");
        config.put(check + "test-fails.mask-columns", "customer_email");
        config.put(check + "test-fails.allowed-violations", "2");
        config.put(check + "test-fails.schedule", "off");
        return config;
    }
}
