package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.poolwatch.pool.Workload;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A host application that adds the extension and nothing else: its workloads are injected, its health and the
 * dashboard and API under /q/poolwatch are served, and every link of the dashboard stays under that root.
 */
class HostApplicationTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("host");

    @Inject
    @Workload("financial")
    DataSource financial;

    @Test
    void aWorkloadIsInjectedAndReachesItsDatabase() throws Exception {
        try (Connection c = financial.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('application_name')")) {
            rs.next();
            assertEquals("poolwatch-financial", rs.getString(1));
        }
    }

    @Test
    void readinessHasOneEntryPerPool() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("poolwatch-pools"))
                .body("checks.find { it.name == 'poolwatch-pools' }.data.financial", notNullValue())
                .body("checks.find { it.name == 'poolwatch-pools' }.data.main", notNullValue());
        given().when().get("/q/health/live").then().statusCode(200).body("checks.name", hasItem("poolwatch-process"));
    }

    @Test
    void theApiAndDashboardLiveUnderQPoolwatch() {
        given().when().get("/q/poolwatch/api/v1/pools/financial").then().statusCode(200).body("pool.name", equalTo("financial"));
        given().when().get("/api/v1/pools").then().statusCode(404);
        String html = given().when().get("/q/poolwatch/").then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        List<String> links = Links.of(html);
        assertTrue(links.size() > 10, "links found: " + links);
        for (String link : links) {
            assertTrue(link.startsWith("/q/poolwatch/") || link.startsWith("#"), "a link outside the root: " + link);
        }
        given().when().get("/q/poolwatch/static/css/dashboard.css").then().statusCode(200).body(containsString("prefers-color-scheme"));
        given().when().get("/q/poolwatch/static/htmx.min.js").then().statusCode(200).body(containsString("htmx"));
        given().when().get("/q/poolwatch/pools/financial?fragment=live").then().statusCode(200);
    }

    @Test
    void poolwatchsPagesCarryItsSecurityHeadersAndTheHostsDoNot() {
        given().when().get("/q/poolwatch/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("X-Frame-Options", equalTo("DENY"));
        given().when().get("/q/poolwatch/api/v1/pools").then().statusCode(200).header("X-Content-Type-Options", equalTo("nosniff"));
        given().when().get("/q/health/ready").then().header("Content-Security-Policy", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void theFaultFormOfTheStandaloneServiceIsNotShown() {
        String html = given().when().get("/q/poolwatch/").then().statusCode(200).extract().asString();
        assertTrue(!html.contains("fault-phases"), "a host application has no fault phases");
    }
}
