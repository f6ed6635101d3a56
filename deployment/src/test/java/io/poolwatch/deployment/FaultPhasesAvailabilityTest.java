package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.poolwatch.pool.FaultPhases;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;

/**
 * The overview offers fault phases only where they can run: a host application whose {@link FaultPhases} bean says it
 * cannot run them (as the standalone service's simulator says when pointed at a real database) shows no fault section,
 * no {@code faults} fragment, and refuses the form's action with 404; the same bean saying it can shows the form and takes
 * it. (A host without any such bean: {@code HostApplicationTest}.)
 */
class FaultPhasesAvailabilityTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("fault-phases", SwitchableFaults.class);

    /** Fault phases whose availability the test switches; starting one only records it. */
    @ApplicationScoped
    public static class SwitchableFaults implements FaultPhases {
        static volatile boolean available;
        static final List<Fault> STARTED = new CopyOnWriteArrayList<>();

        @Override
        public boolean available() {
            return available;
        }

        @Override
        public List<String> kinds() {
            return List.of("leak");
        }

        @Override
        public Fault start(String kind, String workload, Optional<Duration> duration) {
            Fault f = new Fault(STARTED.size() + 1, kind, workload, Instant.now(), Instant.now().plusSeconds(1), "finished");
            STARTED.add(f);
            return f;
        }

        @Override
        public List<Fault> faults() {
            return List.copyOf(STARTED);
        }
    }

    @AfterEach
    void reset() {
        SwitchableFaults.available = false;
    }

    @Test
    void whereTheFaultsCannotRunTheOverviewHasNoFaultSectionAndTheActionIsNotThere() {
        SwitchableFaults.available = false;
        Response page = given().when().get("/q/poolwatch/");
        page.then().statusCode(200);
        String html = page.asString();
        assertFalse(html.contains("fault-phases"), "no fault section");
        assertFalse(html.contains("actions/faults"), "no fault form");
        given().when().get("/q/poolwatch/?fragment=faults").then().statusCode(404);
        int before = SwitchableFaults.STARTED.size();
        // A valid token (from a pool page's form): the refusal is the action's own, not the CSRF guard's.
        Response pool = given().when().get("/q/poolwatch/pools/main");
        given().redirects().follow(false).cookie("poolwatch-csrf", pool.getCookie("poolwatch-csrf"))
                .formParam("_csrf", token(pool.asString()))
                .formParam("kind", "leak").formParam("workload", "main").when().post("/q/poolwatch/actions/faults").then()
                .statusCode(404)
                .body(containsString("fault phases"));
        assertEquals(before, SwitchableFaults.STARTED.size(), "nothing was started");
    }

    @Test
    void whereTheyCanRunTheFormIsShownAndTaken() {
        SwitchableFaults.available = true;
        Response page = given().when().get("/q/poolwatch/");
        String html = page.asString();
        assertTrue(html.contains("id=\"fault-phases\"") && html.contains("action=\"/q/poolwatch/actions/faults\""),
                "the form is offered");
        given().when().get("/q/poolwatch/?fragment=faults").then().statusCode(200);
        int before = SwitchableFaults.STARTED.size();
        given().redirects().follow(false).cookie("poolwatch-csrf", page.getCookie("poolwatch-csrf"))
                .formParam("_csrf", token(html))
                .formParam("kind", "leak").formParam("workload", "main").when().post("/q/poolwatch/actions/faults").then()
                .statusCode(303);
        assertEquals(before + 1, SwitchableFaults.STARTED.size());
    }

    /** The CSRF field of the page's forms. */
    private static String token(String html) {
        Matcher field = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(field.find(), "the page carries a token");
        return field.group(1);
    }
}
