package io.poolwatch.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import io.poolwatch.alerting.Alerting;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * What an attacker (or a careless script) can send: script payloads where text is shown back, broken and misspelt JSON,
 * bad parameters, SQL where none is taken. Every refusal is a 400 naming the field; every payload shown is escaped.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class HostileInputTest {

    private static final String SCRIPT = "<script>alert('pw')</script>";
    private static final String IMG = "<img src=x onerror=alert(1)>";

    @Inject
    Alerting alerting;

    @Test
    void scriptPayloadsInASilenceAreStoredAsTextAndShownEscaped() {
        String body = "{\"matchers\":[{\"name\":\"pool\",\"value\":\"" + IMG + "\",\"isRegex\":false,\"isEqual\":true}],"
                + "\"duration\":\"10m\",\"createdBy\":\"" + SCRIPT.replace("'", "\\u0027") + "\",\"comment\":\"" + SCRIPT + IMG
                + "\"}";
        String id = given().contentType(ContentType.JSON).body(body).when().post("/api/v1/silences").then().statusCode(201)
                .body("comment", equalTo(SCRIPT + IMG)).extract().path("id");
        try {
            String html = given().when().get("/alerts").then().statusCode(200).extract().asString();
            assertFalse(html.contains(SCRIPT), "a script tag from a silence reached the page");
            assertFalse(html.contains(IMG), "an img tag from a silence reached the page");
            Document doc = Jsoup.parse(html);
            assertTrue(doc.text().contains(SCRIPT + IMG), "the comment is shown, as text");
            assertTrue(doc.select("script").stream().noneMatch(s -> s.data().contains("alert")),
                    "no script element carries the payload");
            assertTrue(doc.select("img[onerror]").isEmpty(), "no element with an event handler");
        } finally {
            given().contentType(ContentType.JSON).when().delete("/api/v1/silences/" + id).then().statusCode(200);
        }
    }

    @Test
    void brokenOrMisspeltJsonIsA400NamingWhereAndWhat() {
        given().contentType(ContentType.JSON).body("{\"matchers\": [").when().post("/api/v1/silences").then().statusCode(400)
                .body("error", containsString("body: not valid JSON"));
        given().contentType(ContentType.JSON).body("{\"matcher\": [], \"duration\": \"1h\", \"comment\": \"x\"}").when()
                .post("/api/v1/silences")
                .then().statusCode(400).body("error", containsString("matcher: unknown field; accepted: "))
                .body("error", containsString("matchers"));
        given().contentType(ContentType.JSON).body(
                "{\"matchers\": [{\"name\": \"pool\", \"value\": \"x\", \"isRegex\": \"maybe\"}], \"duration\": \"1h\", \"comment\": \"x\"}")
                .when().post("/api/v1/silences").then().statusCode(400).body("error", containsString("matchers[0].isRegex"))
                .body("error", containsString("true or false"));
        given().contentType(ContentType.JSON).body("[]").when().post("/api/v1/silences").then().statusCode(400).body("error",
                containsString("body"));
        given().contentType(ContentType.XML).body("<silence/>").when().post("/api/v1/silences").then().statusCode(415);
    }

    @Test
    void badQueryAndPathParametersAre400sOr404sThatNameThem() {
        given().when().get("/api/v1/alerts?state=" + SCRIPT).then().statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString("accepted: pending, firing, resolved"));
        given().when().get("/api/v1/audit?limit=-1").then().statusCode(400).body("error", containsString("limit=-1"));
        given().when().get("/api/v1/audit?limit=" + "9".repeat(30)).then().statusCode(400);
        given().when().get("/api/v1/pools/" + IMG).then().statusCode(404).contentType(ContentType.JSON);
        given().when().get("/api/v1/checks/" + IMG).then().statusCode(404).contentType(ContentType.JSON);
        given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/" + IMG).then().statusCode(400)
                .body("error", containsString("accepted: leak, slow, saturate, inconsistency"));
        given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/leak?duration=" + SCRIPT).then()
                .statusCode(400)
                .body("error", containsString("duration"));
        // the HTML 404 page shows the name escaped
        given().when().get("/pools/" + IMG).then().statusCode(404).body(not(containsString(IMG)));
    }

    @Test
    void noEndpointTakesSqlAndAHostileCheckNameRunsNothing() {
        // Checks are defined in configuration only: the API runs one by name, never SQL from a request.
        given().contentType(ContentType.JSON).body("{\"sql\": \"DELETE FROM accounts\"}").when().post("/api/v1/checks/x/run")
                .then()
                .statusCode(404);
        // An encoded ';' could be read as a matrix parameter by one layer and as a name by another: refused (400).
        given().contentType(ContentType.JSON).when().post("/api/v1/checks/" + "x'; DROP TABLE accounts; --").then()
                .statusCode(400);
        given().contentType(ContentType.JSON).when().post("/api/v1/checks/x'%3B%20DROP%20TABLE%20accounts/run").then()
                .statusCode(400)
                .body("error", not(containsString("DROP TABLE accounts; --")));
        assertTrue(alerting.silences() != null);
    }
}
