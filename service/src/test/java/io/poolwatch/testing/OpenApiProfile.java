package io.poolwatch.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Something behind every read endpoint, so each answer the OpenAPI contract tests check has content: two checks run on
 * request (one passing, one failing, which fires an alert), an observed application ({@value #APPLICATION}, whose
 * sessions the test opens), a webhook receiver on a closed loopback port (so its delivery status has failures), beside
 * the PgBouncers of {@link PgBouncerTestResource}. No users: anonymous on loopback, so every endpoint answers.
 */
public class OpenApiProfile implements QuarkusTestProfile {

    public static final String PASSING_CHECK = "contract-passes";
    public static final String FAILING_CHECK = "contract-fails";
    public static final String APPLICATION = "contract-app";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> c = new HashMap<>();
        String check = "poolwatch.consistency.checks.";
        c.put(check + PASSING_CHECK + ".kind", "sql");
        c.put(check + PASSING_CHECK + ".sql", "SELECT COUNT(*) FROM pg_catalog.pg_class WHERE false");
        c.put(check + PASSING_CHECK + ".schedule", "off");
        c.put(check + FAILING_CHECK + ".kind", "sql");
        c.put(check + FAILING_CHECK + ".sql", "SELECT 3");
        c.put(check + FAILING_CHECK + ".sample-sql", "SELECT 42 AS account");
        c.put(check + FAILING_CHECK + ".schedule", "off");
        c.put("poolwatch.applications.\"" + APPLICATION + "\".application-name", APPLICATION);
        c.put("poolwatch.applications.\"" + APPLICATION + "\".expected-max", "4");
        c.put("poolwatch.alerting.receivers.contract.url", "http://127.0.0.1:9/hook");
        c.put("poolwatch.alerting.outbox.path", "target/openapi-profile-outbox");
        return c;
    }
}
