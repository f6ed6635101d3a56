package io.poolwatch.pool;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The Workloads bean as an application gets it, and its transactions in the Prometheus scrape at /q/metrics. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class WorkloadsMetricsTest {

    @Inject
    Workloads workloads;

    private static double scraped(String metric, String labels) {
        String scrape = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric + "{" + labels + "}") + " (\\S+)$").matcher(scrape);
        assertTrue(m.find(), metric + "{" + labels + "} is not in the scrape");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void transactionsAreCountedByWorkloadAndOutcome() {
        double committed = scraped("poolwatch_transactions_total", "outcome=\"committed\",workload=\"financial\"");
        double rolledBack = scraped("poolwatch_transactions_total", "outcome=\"rolled_back\",workload=\"financial\"");

        int one = workloads.inTransaction("financial", c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertEquals(1, one);
        assertThrows(IllegalStateException.class, () -> workloads.runInTransaction("financial", c -> {
            throw new IllegalStateException("refused");
        }));

        assertEquals(committed + 1, scraped("poolwatch_transactions_total", "outcome=\"committed\",workload=\"financial\""));
        assertEquals(rolledBack + 1, scraped("poolwatch_transactions_total", "outcome=\"rolled_back\",workload=\"financial\""));
        // Registered at start-up for every workload, so a dashboard shows 0 before the first retry.
        assertEquals(0, scraped("poolwatch_transactions_total", "outcome=\"retries_exhausted\",workload=\"jobs\""));
        assertEquals(0, scraped("poolwatch_transaction_retries_total", "reason=\"deadlock\",workload=\"main\""));
        assertEquals(0,
                scraped("poolwatch_transaction_retries_total", "reason=\"serialization_failure\",workload=\"analytics\""));
        assertEquals(3, workloads.transactionSettings().maxRetries());
    }
}
