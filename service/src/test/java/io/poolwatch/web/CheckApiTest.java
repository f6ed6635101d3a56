package io.poolwatch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.Await;
import io.poolwatch.testing.ChecksProfile;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The checks configured in {@link io.poolwatch.testing.ChecksProfile}, on the test PostgreSQL: scheduled runs, a run on
 * request,
 * a broken check that does not stop the others, masking, and the metrics.
 */
@QuarkusTest
@TestProfile(ChecksProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class CheckApiTest {

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double metric(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no series " + series);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void checksAreListedWithTheirDefinitions() {
        given().when().get("/api/v1/checks").then().statusCode(200)
                .body("name", hasItems("test-passes", "test-fails", "test-broken"))
                .body("find { it.name == 'test-passes' }.kind", equalTo("sql"))
                .body("find { it.name == 'test-passes' }.workload", equalTo("analytics"))
                .body("find { it.name == 'test-passes' }.schedule", equalTo("1s"))
                .body("find { it.name == 'test-passes' }.source", equalTo("configuration"))
                .body("find { it.name == 'test-fails' }.schedule", equalTo("off"))
                .body("find { it.name == 'test-fails' }.nextRun", nullValue())
                .body("find { it.name == 'test-broken' }.severity", equalTo("critical"));
    }

    @Test
    void aBrokenCheckIsAnErrorAndDoesNotStopTheOthers() throws Exception {
        Await.until("both scheduled checks have run", () -> {
            var list = given().when().get("/api/v1/checks").then().extract().jsonPath();
            return "pass".equals(list.getString("find { it.name == 'test-passes' }.last.status"))
                    && "error".equals(list.getString("find { it.name == 'test-broken' }.last.status"));
        });
        given().when().get("/api/v1/checks/test-broken").then().statusCode(200)
                .body("check.last.trigger", equalTo("schedule"))
                .body("check.last.violations", nullValue())
                .body("check.last.message", containsString("no_such_table"))
                .body("parameters.sql", equalTo("SELECT COUNT(*) FROM no_such_table"));
        // It keeps running on its schedule, and so does the passing one.
        Await.until("a second run of each", () -> given().when().get("/api/v1/checks/test-broken").then().extract()
                .jsonPath().getList("history").size() >= 2
                && given().when().get("/api/v1/checks/test-passes").then().extract().jsonPath().getList("history").size() >= 2);

        String text = metrics();
        assertEquals(1.0, metric(text, "poolwatch_check_failing{check=\"test-broken\",severity=\"critical\"}"));
        assertEquals(0.0, metric(text, "poolwatch_check_failing{check=\"test-passes\",severity=\"warning\"}"));
        assertTrue(metric(text, "poolwatch_check_runs_total{check=\"test-broken\",status=\"error\"}") >= 2);
        double lastSuccess = metric(text, "poolwatch_check_last_success_timestamp_seconds{check=\"test-passes\"}");
        assertTrue(Math.abs(lastSuccess - System.currentTimeMillis() / 1000.0) < 60, "last success " + lastSuccess);
        assertTrue(Double.isNaN(metric(text, "poolwatch_check_last_success_timestamp_seconds{check=\"test-broken\"}")));
    }

    @Test
    void aCheckRunsOnRequestWithMaskedSamples() {
        given().contentType(ContentType.JSON).when().post("/api/v1/checks/test-fails/run").then().statusCode(200)
                .body("check", equalTo("test-fails"))
                .body("status", equalTo("fail"))
                .body("violations", equalTo(3))
                .body("allowedViolations", equalTo(2))
                .body("trigger", equalTo("manual"))
                .body("mode", equalTo("full"))
                .body("samples[0].customer_email", equalTo("****"))
                .body("samples[0].account", equalTo(42));
        given().when().get("/api/v1/checks/test-fails").then().statusCode(200)
                .body("history.size()", greaterThanOrEqualTo(1))
                .body("history[0].status", equalTo("fail"))
                .body("check.last.status", equalTo("fail"));
        String text = metrics();
        assertEquals(3.0, metric(text, "poolwatch_check_violations{check=\"test-fails\"}"));
        assertTrue(metric(text, "poolwatch_check_runs_total{check=\"test-fails\",status=\"fail\"}") >= 1);
        assertTrue(metric(text, "poolwatch_check_duration_seconds{check=\"test-fails\"}") > 0);
    }

    @Test
    void anUnknownCheckIsA404NamingTheDefinedOnes() {
        given().contentType(ContentType.JSON).when().post("/api/v1/checks/nope/run").then().statusCode(404)
                .body("error", containsString("no check named 'nope'")).body("error", containsString("test-passes"));
        given().when().get("/api/v1/checks/nope").then().statusCode(404);
    }
}
