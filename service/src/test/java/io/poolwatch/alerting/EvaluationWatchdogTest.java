package io.poolwatch.alerting;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.Await;
import io.poolwatch.testing.FreezableProxy;
import io.poolwatch.testing.TestDatabases;
import io.poolwatch.testing.WebhookHook;
import io.poolwatch.web.AlertStaleness;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The alert evaluation watchdog against a real stall: the notification outbox (and so the silences every evaluation
 * reads) lives in a workload whose PostgreSQL is reached through a proxy that freezes, so the evaluation blocks in a
 * real JDBC read. Readiness details, the metrics and the alerts API's header report it while it lasts; readiness stays
 * UP; all of it clears once the database answers and the evaluation completes.
 */
@QuarkusTest
@TestProfile(EvaluationWatchdogTest.Profile.class)
class EvaluationWatchdogTest {

    /** The outbox in workload alertstore, behind a freezable proxy; evaluation every 500ms, so its stall bound is 5s. */
    public static class Profile implements QuarkusTestProfile {

        static FreezableProxy proxy;

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Resources.class));
        }

        /** Starts the proxy and the receiver. */
        public static class Resources implements QuarkusTestResourceLifecycleManager {

            private WebhookHook hook;

            @Override
            public Map<String, String> start() {
                TestDatabases.Server pg = TestDatabases.postgres();
                try {
                    proxy = new FreezableProxy(pg.host(), pg.port());
                    hook = WebhookHook.start();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                String url = "postgresql://" + pg.user() + ":" + pg.password() + "@127.0.0.1:" + proxy.port() + "/"
                        + TestDatabases.DATABASE;
                return Map.ofEntries(
                        Map.entry("DATABASE_URL", pg.seedUrl()),
                        Map.entry("poolwatch.pools.jobs.enabled", "false"),
                        Map.entry("poolwatch.pools.analytics.enabled", "false"),
                        Map.entry("poolwatch.pools.financial.enabled", "false"),
                        Map.entry("poolwatch.pools.alertstore.url", url),
                        Map.entry("poolwatch.pools.alertstore.min-size", "1"),
                        Map.entry("poolwatch.pools.alertstore.max-size", "2"),
                        Map.entry("poolwatch.alerting.outbox.workload", "alertstore"),
                        Map.entry("poolwatch.alerting.receivers.ops.url", hook.url().toString()),
                        Map.entry("poolwatch.alerting.evaluation-interval", "500ms"));
            }

            @Override
            public void stop() {
                try {
                    proxy.close();
                } catch (IOException e) {
                    // closing
                }
                hook.close();
            }
        }
    }

    @Inject
    Alerting alerting;

    private static String readiness() {
        return given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")).extract()
                .path("checks[0].data.'alert evaluation'");
    }

    private static double metric(String name) {
        String scrape = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.E+-]+|NaN)$").matcher(scrape);
        assertTrue(m.find(), name + " in the scrape");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aStalledEvaluationIsShownInReadinessMetricsAndTheAlertsApiAndClearsWhenItCompletes() throws Exception {
        Await.until("an evaluation completed", () -> alerting.evaluationStatus().lastCompleted().isPresent());
        Await.until("readiness shows evaluation ok", () -> readiness().startsWith("ok: last completed"));
        assertTrue(metric("poolwatch_alert_evaluation_stalled") == 0.0);
        assertTrue(metric("poolwatch_alert_evaluation_last_success_timestamp_seconds") > Instant.now().getEpochSecond() - 60);
        given().when().get("/api/v1/alerts").then().statusCode(200).header(AlertStaleness.HEADER, nullValue());

        Profile.proxy.freeze();
        try {
            // The next evaluation blocks reading the silences from the frozen database; past 5s it counts as stalled.
            Await.until("the evaluation is stalled", () -> alerting.evaluationStatus().stalled());
            assertTrue(alerting.evaluationStatus().runningFor().isPresent(),
                    "an evaluation is running: " + alerting.evaluationStatus());
            Await.until("readiness shows the stall", () -> readiness().startsWith("STALLED: last completed"));
            String detail = readiness();
            assertTrue(detail.contains("one running for") && detail.contains("stall bound 5s"), detail);
            given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            assertTrue(metric("poolwatch_alert_evaluation_stalled") == 1.0);
            assertTrue(metric("poolwatch_alert_evaluation_running_seconds") > 5.0);
            given().when().get("/api/v1/alerts").then().statusCode(200)
                    .header(AlertStaleness.HEADER, startsWith("STALLED: last completed"))
                    .body("evaluatedAt", notNullValue()).body("alerts", notNullValue());
        } finally {
            Profile.proxy.thaw();
        }

        Instant thawed = Instant.now();
        Await.until("an evaluation completed after the database answered",
                () -> alerting.evaluationStatus().lastCompleted().map(t -> t.isAfter(thawed)).orElse(false));
        Await.until("the stall is over", () -> !alerting.evaluationStatus().stalled());
        Await.until("readiness shows evaluation ok again", () -> readiness().startsWith("ok: last completed"));
        assertTrue(metric("poolwatch_alert_evaluation_stalled") == 0.0);
        assertTrue(metric("poolwatch_alert_evaluation_running_seconds") < 5.0);
        given().when().get("/api/v1/alerts").then().statusCode(200).header(AlertStaleness.HEADER, nullValue())
                .body(containsString("evaluatedAt"));
    }
}
