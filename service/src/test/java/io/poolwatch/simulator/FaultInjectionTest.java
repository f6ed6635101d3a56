package io.poolwatch.simulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.poolwatch.pool.FaultPhases;
import io.poolwatch.pool.PoolCounters;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Faults started from the API against a real PostgreSQL, and seen where poolwatch reports them. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class FaultInjectionTest {

    @Inject
    PoolRegistry registry;

    @Inject
    LoadSimulator simulator;

    /** Faults hold connections of the pools other test classes share: none may outlive its test. */
    @AfterEach
    void faultsHaveEnded() throws Exception {
        Await.until("every fault has ended", () -> simulator.faults().stream().noneMatch(f -> f.state().equals("running")));
    }

    @Test
    void theDemoCycleStartsWithALeakOnJobs() throws Exception {
        FaultPhases.Fault first = simulator.nextDemoFault().orElseThrow();
        assertTrue(first.kind().equals("leak") && first.workload().equals("jobs"), first.toString());
        Await.until("the demo leak is reported", () -> registry.pool("jobs").recorder().leaks().stream()
                .anyMatch(l -> l.holderThread().startsWith("fault-leak-jobs-" + first.id())));
    }

    @Test
    void theDemoCycleLeavesHalfTheFaultPlacesToPeople() {
        for (int i = 0; i < LoadSimulator.DEMO_RUNNING; i++) {
            given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/slow?workload=main&duration=3s").then()
                    .statusCode(202);
        }
        assertTrue(simulator.nextDemoFault().isEmpty(),
                "the demo cycle started a fault with " + LoadSimulator.DEMO_RUNNING + " running");
        // A person still can.
        given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/slow?workload=main&duration=3s").then()
                .statusCode(202)
                .body("state", equalTo("running"));
    }

    @Test
    void aLeakFaultIsReportedAndThenReturned() throws Exception {
        int id = given().contentType(ContentType.JSON).when()
                .post("/api/v1/simulator/faults/leak?workload=jobs&duration=1500ms").then().statusCode(202)
                .body("kind", equalTo("leak")).body("state", equalTo("running")).extract().path("id");
        Await.until("the leak is reported", () -> registry.pool("jobs").recorder().leaks().stream()
                .anyMatch(l -> l.holderThread().startsWith("fault-leak-jobs-" + id) && l.current()));
        Await.until("the fault ends by itself", () -> given().when().get("/api/v1/simulator/faults").then().extract()
                .jsonPath().getString("find { it.id == " + id + " }.state").equals("finished"));
        Await.until("the leak shows as returned", () -> registry.pool("jobs").recorder().leaks().stream()
                .anyMatch(l -> l.holderThread().startsWith("fault-leak-jobs-" + id) && !l.current()));
    }

    @Test
    void aSaturatedPoolMakesCallersTimeOut() throws Exception {
        PoolCounters before = registry.pool("jobs").recorder().counters();
        given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/saturate?workload=jobs&duration=1s").then()
                .statusCode(202);
        Await.until("the pool is full", () -> registry.pool("jobs").recorder().leased() == 3);
        assertThrows(SQLException.class, () -> registry.dataSource("jobs").getConnection());
        assertTrue(registry.pool("jobs").recorder().counters().minus(before).timeouts() >= 1);
        Await.until("the pool is free again", () -> registry.pool("jobs").recorder().leased() == 0);
    }

    @Test
    void aSlowFaultShowsAsSlowStatements() throws Exception {
        long before = registry.pool("main").statements().slowStatements();
        given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/slow?workload=main&duration=700ms").then()
                .statusCode(202);
        Await.until("slow statements are counted", () -> registry.pool("main").statements().slowStatements() > before);
    }

    @Test
    void badRequestsNameWhatIsAccepted() {
        given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/meltdown").then().statusCode(400)
                .body("error", containsString("'meltdown'"))
                .body("error", containsString("leak, slow, saturate, inconsistency"));
        given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/leak?duration=99h").then().statusCode(400)
                .body("error", containsString("duration=99h")).body("error", containsString("at most 10m"));
        given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/leak?duration=soon").then().statusCode(400)
                .body("error", containsString("duration=soon"));
        given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/leak?workload=nope").then().statusCode(404)
                .body("error", containsString("'nope'"));
        given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/leak?workload=analytics").then()
                .statusCode(400)
                .body("error", containsString("leak detection is off"))
                .body("error", containsString("poolwatch.pools.\"analytics\".leak-detection-interval"));
    }
}
