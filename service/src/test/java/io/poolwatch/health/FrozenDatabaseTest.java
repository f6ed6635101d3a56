package io.poolwatch.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.Await;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Databases that freeze (accept and never answer) behind real TCP proxies: probes keep answering from cache, readiness
 * goes DOWN only for the critical workload, and everything flips back when the database answers again.
 */
@QuarkusTest
@TestProfile(FrozenDatabaseProfile.class)
class FrozenDatabaseTest {

    @Inject
    PoolHealth health;

    private PoolHealth.State state(String pool) {
        return health.pools().stream().filter(p -> p.pool().equals(pool)).findFirst().orElseThrow().state();
    }

    @Test
    void frozenDatabasesFlipReadinessOnlyForCriticalWorkloadsAndRecover() throws Exception {
        Await.until("every pool validated", () -> health.pools().stream().allMatch(p -> p.state() == PoolHealth.State.UP));
        given().when().get("/q/health/ready").then().statusCode(200);

        // A non-critical database freezes: degraded, still ready.
        FrozenDatabaseProfile.reporting.freeze();
        Await.until("reporting is DOWN", () -> state("reporting") == PoolHealth.State.DOWN);
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks[0].data.reporting", startsWith("DOWN: database unreachable"));
        given().when().get("/api/v1/health").then().statusCode(200).body("status", equalTo("degraded"));

        // The critical one freezes too: not ready, still live, and every probe answers.
        FrozenDatabaseProfile.ledger.freeze();
        Await.until("ledger is DOWN", () -> state("ledger") == PoolHealth.State.DOWN);
        given().when().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks[0].data.ledger", startsWith("DOWN (critical): database unreachable"))
                .body("checks[0].data.main", startsWith("UP (critical)"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/api/v1/health").then().statusCode(503).body("status", equalTo("unhealthy"))
                .body("components.database.message", containsString("ledger"));

        // The databases answer again: back to ready without a restart.
        FrozenDatabaseProfile.ledger.thaw();
        FrozenDatabaseProfile.reporting.thaw();
        Await.until("ledger is UP again", () -> state("ledger") == PoolHealth.State.UP);
        Await.until("reporting is UP again", () -> state("reporting") == PoolHealth.State.UP);
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
