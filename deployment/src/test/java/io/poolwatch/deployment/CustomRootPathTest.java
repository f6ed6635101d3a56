package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** poolwatch.http.root-path moves the dashboard, its fragments, forms and static files, and the API together. */
class CustomRootPathTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("custom-root").overrideConfigKey("poolwatch.http.root-path",
            "/ops/pools/");

    @Test
    void everythingIsServedUnderTheConfiguredRoot() {
        given().when().get("/ops/pools/api/v1/pools/main").then().statusCode(200).body("pool.name", equalTo("main"));
        given().when().get("/q/poolwatch/api/v1/pools/main").then().statusCode(404);
        given().when().get("/ops/pools/static/js/dashboard.js").then().statusCode(200);
        String html = given().when().get("/ops/pools/alerts").then().statusCode(200).extract().asString();
        for (String link : Links.of(html)) {
            assertTrue(link.startsWith("/ops/pools/") || link.startsWith("#"), "a link outside the root: " + link);
        }
        // A form posts under the root too, and a refused one comes back as a page, not a 404.
        given().redirects().follow(false).when().get("/ops/pools/checks").then().statusCode(200);
    }
}
