package io.poolwatch.observed;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import io.poolwatch.testing.Await;
import io.poolwatch.testing.PgBouncerTestResource;
import io.poolwatch.testing.TestDatabases;
import io.poolwatch.web.PgBouncerViews;
import io.quarkus.qute.Engine;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A real PgBouncer watched through the HTTP paths: clients made to wait at it show in {@code /api/v1/pgbouncers},
 * in {@code /q/metrics} and on its page, and go away when the holder commits; a PgBouncer that cannot be reached is
 * down with a reason; unknown names are 404.
 */
@QuarkusTest
@WithTestResource(PgBouncerTestResource.class)
// Decided before the application starts: without PgBouncer installed the test resource could not start one.
@EnabledIf("io.poolwatch.testing.PgBouncerServer#available")
class PgBouncerApiTest {

    @Inject
    PgBouncerSampler sampler;

    @Inject
    PgBouncerViews views;

    @Inject
    Engine qute;

    /**
     * Optional: every test class's injection points are checked when any @QuarkusTest starts the application, and the other
     * classes run without this PgBouncer.
     */
    @ConfigProperty(name = "poolwatch.pgbouncer.edge.password")
    Optional<String> consolePassword;

    private static Connection client() throws Exception {
        String address = System.getProperty(PgBouncerTestResource.ADDRESS_PROPERTY);
        return DriverManager.getConnection(
                "jdbc:postgresql://" + address + "/" + TestDatabases.DATABASE + "?connectTimeout=10&socketTimeout=30",
                TestDatabases.postgres().user(), TestDatabases.postgres().password());
    }

    @Test
    void waitingClientsShowInTheApiTheMetricsAndThePageThenGoAway() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (Connection holder = client()) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.execute("SELECT 1");
            }
            Future<Integer> waiter = background.submit(() -> {
                try (Connection c = client(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 7")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            Await.until("a client waits at PgBouncer", () -> {
                sampler.sampleNow();
                return sampler.latest("edge").map(s -> s.clientsWaiting() >= 1 && s.maxWaitSeconds() > 0).orElse(false);
            });

            String body = given().when().get("/api/v1/pgbouncers/edge").then().statusCode(200).extract().asString();
            JsonPath json = new JsonPath(body);
            assertEquals("up", json.getString("state"));
            assertEquals(System.getProperty(PgBouncerTestResource.ADDRESS_PROPERTY), json.getString("address"));
            assertTrue(json.getInt("clientsWaiting") >= 1, body);
            assertTrue(json.getDouble("maxWaitSeconds") > 0, body);
            Map<String, Object> pool = json.getMap("pools.find { it.database == '" + TestDatabases.DATABASE + "' }");
            assertEquals(1, pool.get("clientsWaiting"), body);
            assertTrue(((Number) pool.get("maxWaitSeconds")).doubleValue() > 0, body);
            assertEquals(1, json.getInt("defaultPoolSize"), body);
            assertFalse(body.contains(consolePassword.orElseThrow()), "the console's password is never shown");

            String user = (String) pool.get("user");
            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            String labels = "{database=\"" + TestDatabases.DATABASE + "\",pgbouncer=\"edge\",user=\"" + user + "\"}";
            assertEquals(1.0, metric(metrics, "poolwatch_pgbouncer_clients_waiting" + labels), metrics);
            assertTrue(metric(metrics, "poolwatch_pgbouncer_max_wait_seconds" + labels) > 0, metrics);
            assertEquals(1.0, metric(metrics, "poolwatch_pgbouncer_up{pgbouncer=\"edge\"}"));
            assertEquals(1.0, metric(metrics, "poolwatch_pgbouncer_default_pool_size{pgbouncer=\"edge\"}"));
            assertFalse(metrics.contains(consolePassword.orElseThrow()));

            given().when().get("/pgbouncers/edge").then().statusCode(200)
                    .body(containsString("id=\"pgbouncer-pools\""))
                    .body(containsString("<th scope=\"row\">" + TestDatabases.DATABASE + "</th>"))
                    .body(containsString("state-degraded"));

            holder.commit();
            assertEquals(7, waiter.get(10, TimeUnit.SECONDS));
            Await.until("no client waits any more", () -> {
                sampler.sampleNow();
                return sampler.latest("edge").map(s -> s.clientsWaiting() == 0).orElse(false);
            });
            given().when().get("/api/v1/pgbouncers/edge").then().statusCode(200).body("clientsWaiting", equalTo(0));
            String after = given().when().get("/q/metrics").then().extract().asString();
            assertEquals(0.0, metric(after, "poolwatch_pgbouncer_clients_waiting" + labels), after);
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void aPgBouncerThatCannotBeReachedIsDownWithAReasonNotZeros() {
        sampler.sampleNow();
        JsonPath gone = given().when().get("/api/v1/pgbouncers/gone").then().statusCode(200).extract().jsonPath();
        assertEquals("down", gone.getString("state"));
        assertEquals(false, gone.getBoolean("up"));
        assertTrue(gone.getString("downReason").contains("cannot connect"), gone.prettify());
        assertTrue(gone.get("clientsWaiting") == null, "down has no figures, not zeros");

        List<String> names = given().when().get("/api/v1/pgbouncers").then().statusCode(200).extract().jsonPath()
                .getList("name");
        assertEquals(List.of("edge", "gone"), names);
        String metrics = given().when().get("/q/metrics").then().extract().asString();
        assertEquals(0.0, metric(metrics, "poolwatch_pgbouncer_up{pgbouncer=\"gone\"}"));
        given().when().get("/pgbouncers/gone").then().statusCode(200).body(containsString("id=\"down-reason\""))
                .body(containsString("cannot connect"));
    }

    @Test
    void theOverviewCardTagDrawsACardPerPgBouncer() {
        sampler.sampleNow();
        String html = qute.parse("{#pgbouncerCards cards=cards /}").data("cards", views.cards()).render();
        assertTrue(html.contains("id=\"pgbouncer-edge\"") && html.contains("data-state=\"up\""), html);
        assertTrue(html.contains("id=\"pgbouncer-gone\"") && html.contains("data-state=\"down\""), html);
        assertTrue(html.contains("pgbouncers/edge") && html.contains("Client connections"), html);
        assertTrue(html.contains("cannot connect to 127.0.0.1:"), html);
        assertEquals("", qute.parse("{#pgbouncerCards cards=cards /}").data("cards", List.of()).render().trim(),
                "nothing without PgBouncers");
    }

    @Test
    void anUnknownNameIs404() {
        given().when().get("/api/v1/pgbouncers/nope").then().statusCode(404).contentType("application/json")
                .body("status", equalTo(404)).body("error", containsString("configured: edge, gone"));
        given().when().get("/pgbouncers/nope").then().statusCode(404).body(containsString("PgBouncer"));
    }

    private static double metric(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " missing"));
    }
}
