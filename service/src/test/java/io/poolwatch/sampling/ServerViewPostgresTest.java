package io.poolwatch.sampling;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.TestDatabases;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** A pool connection left idle in a transaction, seen from both sides: the pool and the server. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ServerViewPostgresTest {

    @Inject
    PoolRegistry registry;

    @Inject
    ServerSampler servers;

    @Test
    void aConnectionIdleInTransactionShowsOnBothSidesAndInMetrics() throws Exception {
        String database = registry.monitorTargets().get(0).database();
        assertEquals("127.0.0.1:" + TestDatabases.postgres().port() + "/" + TestDatabases.DATABASE, database);
        try (Connection c = registry.dataSource("main").getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT 1").close();
            }
            Thread.sleep(300);
            servers.sampleNow();

            JsonPath body = given().when().get("/api/v1/server").then().statusCode(200).extract().jsonPath();
            assertEquals(database, body.getString("databases[0].database"));
            assertEquals(true, body.getBoolean("databases[0].snapshot.available"));
            assertTrue(body.getInt("databases[0].snapshot.maxConnections") > 0, body.prettify());
            Map<String, Object> main = body.getMap("databases[0].pools.find { it.pool == 'main' }");
            assertEquals("poolwatch-main", main.get("applicationName"));
            assertTrue(((Number) main.get("poolActive")).intValue() >= 1, main.toString());
            @SuppressWarnings("unchecked")
            Map<String, Integer> sessions = (Map<String, Integer>) main.get("serverSessions");
            assertEquals(1, sessions.get("idle in transaction"), main.toString());
            assertTrue(main.get("oldestIdleInTransaction") != null, main.toString());
            List<String> pools = body.getList("databases[0].pools.pool", String.class);
            assertEquals(List.of("main", "jobs", "analytics", "financial"), pools);

            String metrics = given().when().get("/q/metrics").then().extract().asString();
            String labels = "{database=\"" + database + "\",state=\"idle in transaction\"}";
            double idleInTx = metrics.lines().filter(l -> l.startsWith("poolwatch_server_sessions" + labels))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                    .orElseThrow(() -> new AssertionError(labels + " missing"));
            assertTrue(idleInTx >= 1, metrics);
            assertTrue(metrics.contains("poolwatch_server_up{database=\"" + database + "\"} 1.0"), metrics);
            assertTrue(metrics.contains("poolwatch_server_max_connections{database=\"" + database + "\"}"), metrics);
            c.rollback();
        }
    }
}
