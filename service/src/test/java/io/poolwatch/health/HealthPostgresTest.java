package io.poolwatch.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The probes and the seed's health endpoint with every database answering. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class HealthPostgresTest {

    @Inject
    PoolSampler sampler;

    @Inject
    PoolHealth health;

    @Test
    void everyProbeIsUpWithAnEntryPerPool() throws Exception {
        sampler.sampleNow();
        Await.until("the first validation", () -> health.pools().stream().allMatch(p -> p.state() == PoolHealth.State.UP));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'poolwatch-pools' }.data.main", startsWith("UP (critical): utilization"))
                .body("checks.find { it.name == 'poolwatch-pools' }.data.analytics", startsWith("UP: utilization"))
                .body("checks.find { it.name == 'poolwatch-pools' }.data.financial", startsWith("UP (critical)"))
                .body("checks.find { it.name == 'poolwatch-pools' }.data.jobs", startsWith("UP"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/api/v1/health").then().statusCode(200)
                .body("status", equalTo("healthy"))
                .body("components.database.status", equalTo("healthy"))
                .body("components.database.message", equalTo("Database is healthy"))
                .body("components.database.metadata.pool_health.checks.connection.status", equalTo("pass"))
                .body("components.database.metadata.pool_health.checks.pool_saturation.status", equalTo("pass"))
                .body("components.database.metadata.pool_health.checks.slow_queries.containsKey('rate')", equalTo(true))
                .body("components.database.metadata.containsKey('query_time_ms')", equalTo(true));
    }
}
