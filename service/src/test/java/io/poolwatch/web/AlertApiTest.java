package io.poolwatch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import io.poolwatch.alerting.Alerting;
import io.poolwatch.testing.ChecksProfile;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Alerts, rules and silences through the API, on the test PostgreSQL with the checks of
 * {@link io.poolwatch.testing.ChecksProfile}.
 */
@QuarkusTest
@TestProfile(ChecksProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AlertApiTest {

    @Inject
    Alerting alerting;

    private static final String FAILS = "find { it.labels.alertname == 'consistency-check' && it.labels.check == 'test-fails' }";

    @Test
    void aFailingCheckFiresAnAlertWithTheChecksSeverity() {
        given().contentType(ContentType.JSON).when().post("/api/v1/checks/test-fails/run").then().statusCode(200).body("status",
                equalTo("fail"));
        alerting.evaluateNow();
        given().when().get("/api/v1/alerts").then().statusCode(200)
                .body("evaluatedAt", not(equalTo(null)))
                .body("alerts." + FAILS + ".state", equalTo("firing"))
                .body("alerts." + FAILS + ".labels.severity", equalTo("warning"))
                .body("alerts." + FAILS + ".labels.workload", equalTo("analytics"))
                .body("alerts." + FAILS + ".labels.instance", not(equalTo(null)))
                .body("alerts." + FAILS + ".annotations.description", containsString("3 violation(s), 2 allowed"))
                .body("alerts." + FAILS + ".annotations.dashboard", containsString("/checks#test-fails"))
                .body("alerts." + FAILS + ".silencedBy", empty());
        given().when().get("/api/v1/alerts?state=firing").then().statusCode(200)
                .body("alerts.state", not(hasItem("pending")));
    }

    @Test
    void theDashboardShowsTheWordsOfTheApi() {
        given().contentType(ContentType.JSON).when().post("/api/v1/checks/test-fails/run").then().statusCode(200);
        alerting.evaluateNow();
        String summary = given().when().get("/api/v1/alerts").then().statusCode(200).extract()
                .path("alerts." + FAILS + ".annotations.summary");
        String description = given().when().get("/api/v1/alerts").then().statusCode(200)
                .extract().path("alerts." + FAILS + ".annotations.description");
        assertEquals("consistency-check on check test-fails: the latest run failed, 3 violation(s), 2 allowed", summary);
        assertTrue(description.startsWith("Check test-fails (sql check): the latest run failed, 3 violation(s), 2 allowed; "),
                description);

        Document alertsPage = Jsoup.parse(given().when().get("/alerts").then().statusCode(200).extract().asString());
        Element row = alertsPage.select("#section-firing tbody tr").stream().filter(r -> r.text().contains("test-fails"))
                .findFirst().orElseThrow();
        assertTrue(row.text().contains(summary), row.text());
        assertTrue(row.text().contains(description), row.text());
        Document overview = Jsoup.parse(given().when().get("/").then().statusCode(200).extract().asString());
        assertTrue(overview.select("#alerts li.alert-firing").eachText().stream().anyMatch(t -> t.contains(summary)),
                overview.select("#alerts").text());
    }

    @Test
    void aSilencedAlertIsShownWithItsSilenceAndCanBeUnsilenced() {
        given().contentType(ContentType.JSON).when().post("/api/v1/checks/test-fails/run").then().statusCode(200);
        String id = given().contentType(ContentType.JSON)
                .body("{\"matchers\": [{\"name\": \"check\", \"value\": \"test-f.*\", \"isRegex\": true}], \"duration\": \"1h\", "
                        + "\"createdBy\": \"oncall\", \"comment\": \"known, fixing\"}")
                .when().post("/api/v1/silences").then().statusCode(201)
                .body("matchers[0].isEqual", equalTo(true)).body("comment", equalTo("known, fixing"))
                .extract().path("id");
        alerting.evaluateNow();
        given().when().get("/api/v1/alerts").then().statusCode(200)
                .body("alerts." + FAILS + ".state", equalTo("firing"))
                .body("alerts." + FAILS + ".silencedBy", hasItem(id));
        given().when().get("/api/v1/silences").then().statusCode(200).body("id", hasItem(id));

        given().contentType(ContentType.JSON).when().delete("/api/v1/silences/" + id).then().statusCode(200);
        alerting.evaluateNow();
        given().when().get("/api/v1/alerts").then().statusCode(200).body("alerts." + FAILS + ".silencedBy", hasSize(0));
        given().contentType(ContentType.JSON).when().delete("/api/v1/silences/no-such-id").then().statusCode(404);
    }

    @Test
    void badSilencesAreRefusedNamingTheField() {
        given().contentType(ContentType.JSON).body("{\"matchers\": [], \"duration\": \"1h\", \"comment\": \"x\"}")
                .when().post("/api/v1/silences").then().statusCode(400).body("error", containsString("matchers"));
        given().contentType(ContentType.JSON)
                .body("{\"matchers\": [{\"name\": \"pool\", \"value\": \"(\", \"isRegex\": true}], \"duration\": \"1h\", \"comment\": \"x\"}")
                .when().post("/api/v1/silences").then().statusCode(400)
                .body("error", containsString("not a regular expression"));
        given().contentType(ContentType.JSON)
                .body("{\"matchers\": [{\"name\": \"pool\", \"value\": \"main\"}], \"duration\": \"90d\", \"comment\": \"x\"}")
                .when().post("/api/v1/silences").then().statusCode(400).body("error", containsString("at most 30 days"));
        given().contentType(ContentType.JSON)
                .body("{\"matchers\": [{\"name\": \"pool\", \"value\": \"main\"}], \"duration\": \"soon\", \"comment\": \"x\"}")
                .when().post("/api/v1/silences").then().statusCode(400).body("error", containsString("duration"));
        given().contentType(ContentType.JSON)
                .body("{\"matchers\": [{\"name\": \"pool\", \"value\": \"main\"}], \"duration\": \"1h\"}")
                .when().post("/api/v1/silences").then().statusCode(400).body("error", containsString("comment"));
    }

    @Test
    void theRulesInEffectAreListed() {
        given().when().get("/api/v1/alerts/rules").then().statusCode(200)
                .body("rules.rule", hasItem("pool-utilization"))
                .body("rules.find { it.rule == 'pool-utilization' }.threshold", equalTo(0.8f))
                .body("rules.find { it.rule == 'pool-utilization' }.operator", equalTo(">"))
                .body("rules.find { it.rule == 'checkout-time' }.threshold", equalTo(2.0f))
                .body("rules.find { it.rule == 'leaked-connections' }.operator", equalTo(">="))
                .body("rules.find { it.rule == 'error-rate' }.threshold", equalTo(0.05f))
                .body("rules.find { it.rule == 'error-rate' }.severity",
                        equalTo("critical (DB_ERROR_RATE_CRITICAL, 5.0%, is not above the threshold)"))
                .body("errorRateCritical", equalTo(0.05f));
    }
}
