package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.poolwatch.observed.BlockingSampler;
import io.quarkus.test.QuarkusUnitTest;

/** With {@code poolwatch.blocking.enabled=false} nothing is read, and the API and the page say so rather than show zeros. */
class BlockingDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("blocking-disabled").overrideConfigKey("poolwatch.blocking.enabled",
            "false");

    @Inject
    BlockingSampler sampler;

    @Test
    void nothingIsReadAndBothSayWhy() {
        sampler.sampleNow();
        given().when().get("/q/poolwatch/api/v1/blocking").then().statusCode(200)
                .body("enabled", equalTo(false))
                .body("databases[0].database", containsString("/poolwatch_test"))
                .body("databases[0].snapshot", nullValue());
        given().when().get("/q/poolwatch/blocking").then().statusCode(200)
                .body(containsString("Blocking is not read"))
                .body(containsString("poolwatch.blocking.enabled=false"));
    }
}
