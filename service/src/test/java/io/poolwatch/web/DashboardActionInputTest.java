package io.poolwatch.web;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.checks.CheckStatus;
import io.poolwatch.checks.ConsistencyChecks;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.testing.ChangeGuardProfile;
import io.poolwatch.testing.CsrfForm;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The dashboard's actions check every field before they act: a {@code back} that is not a path under poolwatch's root
 * is answered 400 naming the field and what it accepts, and the action (a reset, a check run) did not happen.
 */
@QuarkusTest
@TestProfile(ChangeGuardProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class DashboardActionInputTest {

    /** Values of {@code back} that are not a local path: malformed escapes, other sites, schemes, dot segments. */
    static final List<String> BAD_BACKS = List.of("/%zz", "/%", "/%4", "/pools/%zz/x", "/%C0%AF", "//evil.example/x",
            "/\\evil.example",
            "http://evil.example/", "https:evil.example", "javascript:alert(1)", "evil.example", "pools/main", "/a b", "/a\tb",
            "/../x", "/pools/../../x", "/./x", "/x#a b", "/x?y=1", "/" + "a".repeat(1500), " /", "/\u00e9");

    @Inject
    PoolSampler sampler;

    @Inject
    ConsistencyChecks checks;

    private long runs() {
        return Arrays.stream(CheckStatus.values()).mapToLong(s -> checks.runs(ChangeGuardProfile.CHECK, s)).sum();
    }

    @Test
    void aBadBackIsRefusedBeforeTheResetOrTheCheckRun() {
        List<String> wrong = new ArrayList<>();
        for (String back : BAD_BACKS) {
            Instant reset = sampler.baseline("main").at();
            int status = CsrfForm.given().redirects().follow(false).formParam("back", back).when()
                    .post("/actions/pools/main/reset-metrics").then().extract().statusCode();
            if (status != 400 || !reset.equals(sampler.baseline("main").at())) {
                wrong.add("reset with back=" + back + ": " + status
                        + (reset.equals(sampler.baseline("main").at()) ? "" : ", and it reset"));
            }
            long runs = runs();
            status = CsrfForm.given().redirects().follow(false).formParam("back", back).when()
                    .post("/actions/checks/" + ChangeGuardProfile.CHECK + "/run").then().extract().statusCode();
            if (status != 400 || runs != runs()) {
                wrong.add("run with back=" + back + ": " + status + (runs == runs() ? "" : ", and it ran"));
            }
        }
        assertEquals(List.of(), wrong);
        CsrfForm.given().redirects().follow(false).formParam("back", "/%zz").when().post("/actions/pools/main/reset-metrics")
                .then()
                .statusCode(400).body(containsString("back=/%zz")).body(containsString("a path under"));
    }

    @Test
    void aLocalBackIsFollowed() {
        CsrfForm.given().redirects().follow(false).formParam("back", "/checks#" + ChangeGuardProfile.CHECK).when()
                .post("/actions/checks/" + ChangeGuardProfile.CHECK + "/run").then().statusCode(303)
                .header("Location", containsString("/checks?done="));
        CsrfForm.given().redirects().follow(false).formParam("back", "/pools/main").when()
                .post("/actions/pools/main/reset-metrics").then()
                .statusCode(303).header("Location", containsString("/pools/main?done=reset"));
        CsrfForm.given().redirects().follow(false).formParam("back", "/pools/ma%69n").when()
                .post("/actions/pools/main/reset-metrics").then()
                .statusCode(303).header("Location", containsString("/pools/ma%69n?done=reset"));
        // no back: the action's own page
        CsrfForm.given().redirects().follow(false).when().post("/actions/pools/main/reset-metrics").then().statusCode(303)
                .header("Location", containsString("/pools/main?done=reset"));
    }
}
