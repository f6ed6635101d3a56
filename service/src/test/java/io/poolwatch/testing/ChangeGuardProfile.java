package io.poolwatch.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The default service (anonymous on loopback) with one check that runs only on request: its run count changes only
 * when someone asks, so a test can tell whether a refused request ran it.
 */
public class ChangeGuardProfile implements QuarkusTestProfile {

    /** The check's name. */
    public static final String CHECK = "guard-check";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        String check = "poolwatch.consistency.checks." + CHECK + ".";
        config.put(check + "kind", "sql");
        config.put(check + "sql", "SELECT COUNT(*) FROM pg_catalog.pg_class WHERE false");
        config.put(check + "schedule", "off");
        return config;
    }
}
