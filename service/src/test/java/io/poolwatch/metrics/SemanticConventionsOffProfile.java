package io.poolwatch.metrics;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** {@code poolwatch.metrics.semantic-conventions=false}: the scrape without the db.client.connection.* duplicates. */
public class SemanticConventionsOffProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("poolwatch.metrics.semantic-conventions", "false");
    }
}
