package io.poolwatch.alerting;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.TestDatabases;
import io.poolwatch.testing.WebhookHook;
import io.poolwatch.testing.WebhookKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The wiring: a receiver on loopback, the outbox in workload main's PostgreSQL database, an alert that fires at once,
 * and what the receivers and audit APIs show of its delivery.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(WebhookApiTest.ReceiverTestResource.class)
class WebhookApiTest {

    /** Starts the receiver and points poolwatch at it, with an alert that fires at the first evaluation. */
    public static class ReceiverTestResource implements QuarkusTestResourceLifecycleManager {

        private WebhookHook hook;

        @Override
        public Map<String, String> start() {
            try {
                hook = WebhookHook.start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            String r = "poolwatch.alerting.receivers.ops.";
            return Map.of(r + "url", hook.url().toString(),
                    r + "secret", WebhookKeys.KEY_A,
                    r + "bearer-token", "api-test-token-0042",
                    r + "severities", "warning,critical",
                    "poolwatch.alerting.outbox.workload", "main",
                    // Alert state is kept in the outbox's database under the instance label: a name of this run's own, so
                    // what an earlier application on the same database notified is not taken for this one's.
                    "poolwatch.alerting.instance", "webhook-api-" + Long.toHexString(System.nanoTime()),
                    "poolwatch.alerting.group-wait", "0s",
                    "poolwatch.alerting.rules.\"leaked-connections\".threshold", "0",
                    "poolwatch.alerting.rules.\"leaked-connections\".severity", "warning");
        }

        @Override
        public void stop() {
            if (hook != null) {
                hook.close();
            }
        }
    }

    @Inject
    Alerting alerting;

    @Inject
    NotificationOutbox outbox;

    @Inject
    PoolSampler sampler;

    private static String audit() {
        return given().when().get("/api/v1/audit?type=notification.attempt").then().statusCode(200).extract().asString();
    }

    @Test
    void aFiringAlertIsDeliveredAndShown() throws Exception {
        // Pool rules read the latest sample; the test profile samples once an hour, so take one now.
        sampler.sampleNow();
        alerting.evaluateNow();
        // The audit log is kept in the outbox's database, so earlier runs' attempts are listed too: wait for this run's delivery.
        Await.until("the leaked-connections notification delivered to ops",
                () -> given().when().get("/api/v1/alerts/receivers").then()
                        .extract().path("[0].delivery.lastSuccess") != null && audit().contains("leaked-connections"));

        String receivers = given().when().get("/api/v1/alerts/receivers").then().statusCode(200)
                .body("[0].name", equalTo("ops"))
                .body("[0].url", containsString("/****?token=****"))
                .body("[0].severities", equalTo(List.of("warning", "critical")))
                .body("[0].sendResolved", equalTo(true))
                .body("[0].signed", equalTo(1))
                .body("[0].authentication", equalTo("bearer"))
                .body("[0].outbox", equalTo("workload main, table poolwatch.outbox"))
                .body("[0].delivery.consecutiveFailures", equalTo(0))
                .body("[0].delivery.lastSuccess", not(equalTo(null)))
                .extract().asString();
        for (String secret : List.of("api-test-token-0042", WebhookKeys.KEY_A.substring(6), "not-shown")) {
            assertFalse(receivers.contains(secret), secret + " in " + receivers);
        }

        String audit = given().when().get("/api/v1/audit?limit=1&type=notification.attempt").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].type", equalTo("notification.attempt"))
                .body("[0].receiver", equalTo("ops"))
                .body("[0].outcome", equalTo("delivered"))
                .body("[0].httpStatus", equalTo(200))
                .body("[0].attempt", equalTo(1))
                .body("[0].alertStatus", equalTo("firing"))
                .extract().asString();
        assertFalse(audit.contains("not-shown"), audit);
        given().when().get("/api/v1/audit?limit=0").then().statusCode(400).body("error", containsString("accepted: 1 to 1000"));

        try (Connection c = TestDatabases.postgres().connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT state, body FROM poolwatch.outbox "
                        + "WHERE group_key LIKE '%leaked-connections%' ORDER BY seq DESC LIMIT 1")) {
            assertTrue(rs.next());
            assertEquals("delivered", rs.getString(1));
            assertTrue(rs.getString(2).contains("\"alertname\":\"leaked-connections\""), rs.getString(2));
        }
    }
}
