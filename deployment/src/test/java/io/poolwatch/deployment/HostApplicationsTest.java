package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.poolwatch.observed.ApplicationSampler;
import io.poolwatch.web.ApplicationViews;
import io.quarkus.qute.Engine;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;

/**
 * Applications through the real HTTP path of a host application: the JSON, the page (escaped), the overview's tag
 * rendered from its view model, and the gauges, after real sessions were read from the test PostgreSQL.
 */
class HostApplicationsTest {

    /** Unique per JVM, and the same in the class Quarkus loads and the one JUnit runs (a random value would differ). */
    static final String S = "p" + ProcessHandle.current().pid();
    static final String APP = "shop-" + S;
    /** Reported by the test's sessions: markup in it must come out escaped. */
    static final String REPORTED = "shop<b>-" + S;

    @RegisterExtension
    static final QuarkusUnitTest TEST = withApplications(TestApps.host("applications"));

    static QuarkusUnitTest withApplications(QuarkusUnitTest test) {
        Map.of("poolwatch.applications.\"" + APP + "\".application-name", REPORTED,
                "poolwatch.applications.\"" + APP + "\".expected-max", "4",
                "poolwatch.applications.\"idle-" + S + "\".application-name", "nobody-" + S + "-*")
                .forEach(test::overrideConfigKey);
        return test;
    }

    @Inject
    ApplicationSampler sampler;

    @Inject
    ApplicationViews views;

    @Inject
    Engine engine;

    @Inject
    MeterRegistry meters;

    @Test
    void applicationsShowInJsonPageTagAndMeters() throws Exception {
        List<Connection> open = new ArrayList<>();
        try {
            String url = jdbcUrl();
            open.add(connect(url, REPORTED));
            open.add(connect(url, REPORTED));
            open.add(connect(url, "stray-" + S));
            sampler.sampleNow();

            JsonPath all = given().when().get("/q/poolwatch/api/v1/applications").then().statusCode(200).extract().jsonPath();
            assertEquals(2, (int) all.getInt("applications.find { it.name == '" + APP + "' }.snapshots[0].sessions"),
                    all.prettify());
            assertEquals("sessions with application name '" + REPORTED + "'",
                    all.getString("applications.find { it.name == '" + APP + "' }.match"));
            assertEquals(0.5, all.getDouble("applications.find { it.name == '" + APP + "' }.utilization.values().getAt(0)"),
                    1e-9);
            assertEquals(0, all.getInt("applications.find { it.name == 'idle-" + S + "' }.snapshots[0].sessions"));
            assertEquals("poolwatch.applications.\"stray-" + S + "\".application-name=stray-" + S,
                    all.getString("suggestions.find { it.sessions.applicationName == 'stray-" + S + "' }.config"));
            assertTrue(all.getBoolean("databases[0].available"), all.prettify());

            given().when().get("/q/poolwatch/api/v1/applications/" + APP).then().statusCode(200)
                    .body("name", equalTo(APP)).body("snapshots[0].sessions", equalTo(2)).body("expectedMax", equalTo(4));
            given().when().get("/q/poolwatch/api/v1/applications/no-such-" + S).then().statusCode(404)
                    .contentType(containsString("application/json")).body("status", equalTo(404))
                    .body("error", containsString("no application 'no-such-" + S + "'")).body("error", containsString(APP));

            String page = given().when().get("/q/poolwatch/applications/" + APP).then().statusCode(200)
                    .contentType(containsString("text/html")).header("Cache-Control", "no-store").extract().asString();
            assertTrue(page.contains("shop&lt;b&gt;-" + S), "the reported name is escaped");
            assertTrue(!page.contains("shop<b>"), "no markup from configuration");
            assertTrue(page.contains("<dd id=\"sessions\">2</dd>"), page);
            given().when().get("/q/poolwatch/applications/" + APP + "?fragment=live").then().statusCode(200)
                    .body(containsString("data-application=\"" + APP + "\"")).body(not(containsString("<html")));
            given().when().get("/q/poolwatch/applications/no-such-" + S).then().statusCode(404)
                    .body(containsString("application"));

            String cards = engine.getTemplate("tags/applicationCards").data("apps", views.overview()).render();
            assertTrue(cards.contains("href=\"/q/poolwatch/applications/" + APP + "\""), cards);
            assertTrue(cards.contains("poolwatch.applications.&quot;stray-" + S + "&quot;.application-name=stray-" + S), cards);
            assertTrue(cards.contains("50%"), "the gauge shows 2 of 4: " + cards);

            // The host has no Prometheus registry: its composite registry reads nothing until it has a registry inside.
            if (meters instanceof CompositeMeterRegistry composite && composite.getRegistries().isEmpty()) {
                composite.add(new SimpleMeterRegistry());
            }
            assertEquals(2.0,
                    meters.find("poolwatch.application.sessions").tags("application", APP, "user", "any").gauge().value(),
                    () -> "sessions: " + sampler.latest(APP) + " "
                            + meters.find("poolwatch.application.sessions").gauges().stream()
                                    .map(g -> g.getId() + "=" + g.value()).toList());
            assertEquals(2.0,
                    meters.find("poolwatch.application.sessions.state").tags("application", APP, "state", "idle").gauge()
                            .value(),
                    () -> "sessions by state: " + sampler.latest(APP) + " "
                            + meters.find("poolwatch.application.sessions.state").gauges().stream()
                                    .map(g -> g.getId() + "=" + g.value()).toList());
            assertEquals(0.0, meters.find("poolwatch.application.sessions.state").tags("application", APP, "state", "active")
                    .gauge().value());
            assertEquals(0.5, meters.find("poolwatch.application.utilization.ratio").tags("application", APP).gauge().value(),
                    1e-9);
            assertTrue(
                    Double.isNaN(meters.find("poolwatch.application.utilization.ratio").tags("application", "idle-" + S).gauge()
                            .value()),
                    "no expected-max: NaN, not 0");
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    @Test
    void theApplicationsJsonListsDefinitionsBeforeAnySample() {
        given().when().get("/q/poolwatch/api/v1/applications").then().statusCode(200).body("applications.name", hasItem(APP));
    }

    private static String jdbcUrl() throws Exception {
        // DATABASE_URL is postgresql://user@host:port/db: the test's own sessions open beside poolwatch's.
        URI uri = URI.create(TestApps.DATABASE_URL);
        return "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath() + "?user="
                + uri.getUserInfo().split(":")[0];
    }

    private static Connection connect(String url, String applicationName) throws Exception {
        Properties p = new Properties();
        p.setProperty("ApplicationName", applicationName);
        Connection c = DriverManager.getConnection(url, p);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            rs.next();
        }
        return c;
    }
}
