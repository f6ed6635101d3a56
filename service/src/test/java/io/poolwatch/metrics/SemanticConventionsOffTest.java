package io.poolwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * With {@code poolwatch.metrics.semantic-conventions=false} the scrape has poolwatch's own pool meters and none of the
 * db.client.connection.* gauges and counter.
 */
@QuarkusTest
@TestProfile(SemanticConventionsOffProfile.class)
@WithTestResource(PostgresTestResource.class)
class SemanticConventionsOffTest {

    @Test
    void theScrapeHasOnlyPoolwatchsOwnNames() {
        String scrape = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(scrape.contains("poolwatch_pool_connections_active{pool=\"main\""), "poolwatch's own meters are scraped");
        // The gauges and the counter of SemanticConventionMetrics (the histograms are another binder's).
        assertFalse(Pattern
                .compile("(?m)^db_client_connection_(count|max|idle_max|idle_min|pending_requests|timeouts_total)\\{")
                .matcher(scrape).find(), "no semantic-convention duplicates");
    }
}
