package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** With the dashboard switched off nothing is served under the root; pools and health work as before. */
class DashboardDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("disabled").overrideConfigKey("poolwatch.dashboard.enabled", "false");

    @Test
    void noDashboardNoApiButHealth() {
        given().when().get("/q/poolwatch/").then().statusCode(404);
        given().when().get("/q/poolwatch/api/v1/pools").then().statusCode(404);
        given().when().get("/q/poolwatch/static/css/dashboard.css").then().statusCode(404);
        given().when().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("poolwatch-pools"));
    }
}
