package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.poolwatch.metrics.PoolHistograms;
import io.poolwatch.pool.Workload;
import io.poolwatch.sampling.PoolSampler;
import io.quarkus.arc.Arc;
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
        try (Connection c = financial.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('application_name')")) {
            rs.next();
            assertEquals("poolwatch-financial", rs.getString(1));
        }
    }

    @Inject
    PoolHistograms histograms;

    @Inject
    PoolSampler sampler;

    /**
     * This host has Micrometer but no Prometheus registry: the pool histograms are still kept and readable, and the
     * collector that would join a Prometheus registry is no bean (its class, which refers to that registry, is never
     * loaded); the application started without an error.
     */
    @Test
    void withoutAPrometheusRegistryTheHistogramsAreKeptAndNothingJoinsOne() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.micrometer.prometheus.PrometheusMeterRegistry"));
        assertTrue(Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .noneMatch(b -> b.getBeanClass().getName().equals("io.poolwatch.metrics.PrometheusHistograms")),
                "no Prometheus collector bean");
        try (Connection c = financial.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
        }
        // Statement times reach the exported histogram when the sampler folds an interval, as checkouts do.
        sampler.sampleNow();
        List<PoolHistograms.Family> families = histograms.families();
        assertEquals(histograms.names(), families.stream().map(PoolHistograms.Family::name).toList());
        PoolHistograms.Family statements = families.stream()
                .filter(f -> f.name().equals("poolwatch_pool_statement_duration_seconds"))
                .findFirst().orElseThrow();
        long financialStatements = statements.series().stream().filter(s -> s.labelValues().get(0).equals("financial"))
                .mapToLong(s -> s.snapshot().count()).sum();
        assertTrue(financialStatements >= 1, "the statement just run is counted: " + financialStatements);
        given().when().get("/q/metrics").then().statusCode(404);
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
        given().when().get("/q/poolwatch/api/v1/pools/financial").then().statusCode(200).body("pool.name",
                equalTo("financial"));
        given().when().get("/api/v1/pools").then().statusCode(404);
        String html = given().when().get("/q/poolwatch/").then().statusCode(200).contentType(containsString("text/html"))
                .extract().asString();
        List<String> links = Links.of(html);
        assertTrue(links.size() > 10, "links found: " + links);
        for (String link : links) {
            assertTrue(link.startsWith("/q/poolwatch/") || link.startsWith("#"), "a link outside the root: " + link);
        }
        given().when().get("/q/poolwatch/static/css/dashboard.css").then().statusCode(200)
                .body(containsString("prefers-color-scheme"));
        given().when().get("/q/poolwatch/static/htmx.min.js").then().statusCode(200).body(containsString("htmx"));
        given().when().get("/q/poolwatch/pools/financial?fragment=live").then().statusCode(200);
    }

    @Test
    void poolwatchsPagesCarryItsSecurityHeadersAndTheHostsDoNot() {
        given().when().get("/q/poolwatch/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("X-Frame-Options", equalTo("DENY"));
        given().when().get("/q/poolwatch/api/v1/pools").then().statusCode(200).header("X-Content-Type-Options",
                equalTo("nosniff"));
        given().when().get("/q/health/ready").then().header("Content-Security-Policy", Matchers.nullValue());
    }

    @Test
    void theFaultFormOfTheStandaloneServiceIsNotShown() {
        String html = given().when().get("/q/poolwatch/").then().statusCode(200).extract().asString();
        assertTrue(!html.contains("fault-phases"), "a host application has no fault phases");
    }
}
