package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.poolwatch.pool.Workload;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.Trends;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;

/**
 * The 24-hour trends and the seed's pool health over real HTTP in a host application on the test PostgreSQL: fed by
 * samples of real pools, narrowed by pool, with bad parameters answered 400 naming them; the pool page's 24-hour charts
 * before and after a first sample; {@code /api/v1/database/pool/health} with a pool's connections really held.
 */
class TrendsAndPoolHealthTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("trends")
            // Samples only when the test takes them.
            .overrideConfigKey("poolwatch.sampling.interval", "1h");

    @Inject
    PoolSampler sampler;

    @Inject
    Trends trends;

    @Inject
    @Workload("financial")
    DataSource financial;

    /** Only the trends test holds connections of jobs. */
    @Inject
    @Workload("jobs")
    DataSource jobs;

    @Test
    void everyPoolsTrendOfAFigureOverTheHoursAskedFor() throws Exception {
        try (Connection held = jobs.getConnection()) {
            sampler.sampleNow();
        }
        sampler.sampleNow();
        JsonPath all = given().when().get("/q/poolwatch/api/v1/trends?figure=utilization&hours=24").then().statusCode(200)
                .contentType(containsString("application/json")).extract().jsonPath();
        assertEquals("utilization", all.getString("figure"));
        assertEquals(24, all.getInt("hours"));
        assertEquals(300, all.getInt("bucketSeconds"));
        List<String> names = all.getList("series.name");
        assertTrue(names.containsAll(List.of("main", "jobs", "analytics", "financial")), names.toString());
        // Both samples fall in one 5-minute bucket, or across two: the jobs pool was at 1 of 3 in one of them.
        List<Float> highest = all.getList("series.find { it.name == 'jobs' }.points.max");
        assertFalse(highest.isEmpty(), "the samples were recorded");
        assertEquals(1.0 / 3, highest.stream().mapToDouble(Float::doubleValue).max().orElseThrow(), 1e-4);
        int samples = all.<Integer> getList("series.find { it.name == 'jobs' }.points.samples").stream()
                .mapToInt(Integer::intValue).sum();
        assertTrue(samples >= 2, "samples: " + samples);

        given().when().get("/q/poolwatch/api/v1/trends?figure=active&pool=jobs&hours=1").then().statusCode(200)
                .body("series", hasSize(1)).body("series[0].name", equalTo("jobs"))
                .body("series[0].unit", equalTo("connections"))
                .body("series[0].points.value", Matchers.not(Matchers.empty()));
        given().when().get("/q/poolwatch/api/v1/pools/jobs/trends").then().statusCode(200)
                .body("series.figure", equalTo(Trends.figures("pool").stream().map(Trends.Figure::name).toList()));
        given().when().get("/q/poolwatch/api/v1/pools/jobs/trends?figure=checkout_time&hours=6").then().statusCode(200)
                .body("series", hasSize(1)).body("series[0].unit", containsString("seconds")).body("hours", equalTo(6));
    }

    @Test
    void badParametersAreAnswered400NamingTheParameterTheValueAndWhatIsAccepted() {
        for (String hours : List.of("0", "25", "abc", "-3", "1.5")) {
            given().when().get("/q/poolwatch/api/v1/trends?figure=checkout_time&hours=" + hours).then().statusCode(400)
                    .contentType(containsString("application/json")).body("status", equalTo(400))
                    .body("error",
                            equalTo("hours=" + hours
                                    + ": accepted: a whole number from 1 to 24 (trends are kept for 24 hours at "
                                    + "5-minute resolution)"));
            given().when().get("/q/poolwatch/api/v1/pools/main/trends?hours=" + hours).then().statusCode(400)
                    .body("error", containsString("hours=" + hours + ": accepted: a whole number from 1 to 24"));
        }
        given().when().get("/q/poolwatch/api/v1/trends").then().statusCode(400)
                .body("error", equalTo(
                        "figure: missing; accepted for pool: checkout_time, lease_time, utilization, active, idle, awaiting, "
                                + "error_rate, slow_queries"));
        given().when().get("/q/poolwatch/api/v1/trends?figure=sessions").then().statusCode(400)
                .body("error", containsString("figure=sessions: accepted for pool: checkout_time"));
        given().when().get("/q/poolwatch/api/v1/trends?figure=sessions&kind=application").then().statusCode(200).body("series",
                hasSize(0));
        given().when().get("/q/poolwatch/api/v1/trends?figure=active&kind=pgbouncer").then().statusCode(400)
                .body("error", equalTo("kind=pgbouncer: accepted: pool, application"));
        given().when().get("/q/poolwatch/api/v1/trends?figure=active&pool=main&application=x").then().statusCode(400)
                .body("error", containsString("accepted: one of pool and application"));
        given().when().get("/q/poolwatch/api/v1/trends?figure=active&pool=nope").then().statusCode(404).body("error",
                containsString("nope"));
        given().when().get("/q/poolwatch/api/v1/trends?figure=sessions&application=nope").then().statusCode(404)
                .body("error", containsString("application=nope: not defined"));
        given().when().get("/q/poolwatch/api/v1/pools/nope/trends").then().statusCode(404);
        given().when().get("/q/poolwatch/api/v1/pools/main/trends?figure=sessions").then().statusCode(400)
                .body("error", containsString("figure=sessions: accepted: checkout_time"));
    }

    @Test
    void thePoolPageDrawsTheDayOrSaysItIsCollecting() {
        // The scheduler's first sample (then one an hour) can land between forgetting and reading: read again, a few times at most.
        String before = "";
        for (int attempt = 0; attempt < 3 && !before.contains("collecting: 24-hour trends"); attempt++) {
            trends.forget(Trends.POOL, "analytics");
            before = given().when().get("/q/poolwatch/pools/analytics").then().statusCode(200).extract().asString();
        }
        assertTrue(before.contains("collecting: 24-hour trends fill at 5-minute resolution"), "no trend yet");
        assertTrue(before.contains("id=\"chart-trend-checkout\"") && before.contains("id=\"chart-trend-utilization\""), before);

        sampler.sampleNow();
        String after = given().when().get("/q/poolwatch/pools/analytics?fragment=live").then().statusCode(200).extract()
                .asString();
        assertFalse(after.contains("collecting: 24-hour trends"), "a sample was taken");
        int utilization = after.indexOf("id=\"chart-trend-utilization\"");
        String chart = after.substring(utilization, after.indexOf("</figure>", utilization));
        assertTrue(chart.contains("lowest 0%") && chart.contains("highest 0%"), chart);
        assertTrue(chart.contains("(24 h ago)") && chart.contains("(now)"), "the axis reads the day: " + chart);
        assertTrue(chart.contains("class=\"line\" d=\"M"), "a line is drawn: " + chart);
    }

    @Test
    void poolHealthReportsEveryPoolFromWhatIsKnownNow() throws Exception {
        String body = awaitHealth("financial UP", b -> "UP".equals(b.getString("pools.financial.state")));
        JsonPath health = JsonPath.from(body);
        assertEquals("healthy", health.getString("pools.financial.status"), body);
        assertTrue(health.getBoolean("pools.financial.healthy"));
        assertEquals("pass", health.getString("pools.financial.checks.connection.status"));
        assertEquals(0.0, health.getDouble("pools.financial.checks.pool_saturation.utilization"));
        assertEquals(80.0, health.getDouble("pools.financial.checks.pool_saturation.threshold"));
        assertTrue(health.getList("pools.financial.issues").isEmpty());

        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(financial.getConnection());
            }
            sampler.sampleNow();
            given().when().get("/q/poolwatch/api/v1/database/pool/health").then().statusCode(200)
                    .body("pools.financial.status", equalTo("warning")).body("pools.financial.healthy", equalTo(false))
                    .body("pools.financial.utilization", equalTo(100.0f))
                    .body("pools.financial.checks.pool_saturation.status", equalTo("warn"))
                    .body("pools.financial.issues", hasItem("utilization 100% at or over 80%"))
                    .body("issues", hasItem("financial: utilization 100% at or over 80%"))
                    .body("status", Matchers.oneOf("warning", "degraded")).body("healthy", equalTo(false))
                    .body("pools.main.checks.pool_saturation.status", equalTo("pass"));
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        sampler.sampleNow();
        given().when().get("/q/poolwatch/api/v1/database/pool/health").then().statusCode(200)
                .body("pools.financial.checks.pool_saturation.utilization", equalTo(0.0f));
    }

    /** Polls the health answer until {@code done} holds, at most 30 s; the body seen last. */
    private static String awaitHealth(String what, Predicate<JsonPath> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String body = "";
        while (System.nanoTime() < deadline) {
            body = given().when().get("/q/poolwatch/api/v1/database/pool/health").then().statusCode(200).extract().asString();
            if (done.test(JsonPath.from(body))) {
                return body;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within 30 s: " + what + "; last answer " + body);
    }
}
