package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;

import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Access follows the host's own users and roles: poolwatch.security.viewer-roles and admin-roles name which of the
 * host's roles may read and act. The host's own endpoints are not poolwatch's to guard.
 */
class HostRolesTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("roles", Hello.class)
            .overrideConfigKey("quarkus.http.auth.basic", "true")
            .overrideConfigKey("quarkus.security.users.embedded.enabled", "true")
            .overrideConfigKey("quarkus.security.users.embedded.plain-text", "true")
            .overrideConfigKey("quarkus.security.users.embedded.users.alice", "alice-pw")
            .overrideConfigKey("quarkus.security.users.embedded.roles.alice", "support")
            .overrideConfigKey("quarkus.security.users.embedded.users.bob", "bob-pw")
            .overrideConfigKey("quarkus.security.users.embedded.roles.bob", "sre")
            .overrideConfigKey("quarkus.security.users.embedded.users.carol", "carol-pw")
            .overrideConfigKey("quarkus.security.users.embedded.roles.carol", "viewer")
            .overrideConfigKey("poolwatch.security.viewer-roles", "support,ops")
            .overrideConfigKey("poolwatch.security.admin-roles", "sre");

    /** Endpoints of the host's own. */
    @Path("/hello")
    public static class Hello {
        @GET
        public String hello() {
            return "hello";
        }

        @POST
        public String post() {
            return "posted";
        }
    }

    @Test
    void theHostsRolesAreMapped() {
        given().when().get("/q/poolwatch/api/v1/pools").then().statusCode(401);
        given().auth().preemptive().basic("alice", "alice-pw").when().get("/q/poolwatch/api/v1/pools").then().statusCode(200);
        given().auth().preemptive().basic("alice", "alice-pw").when().get("/q/poolwatch/api/v1/audit").then().statusCode(403);
        given().auth().preemptive().basic("bob", "bob-pw").when().get("/q/poolwatch/api/v1/audit").then().statusCode(200);
        given().auth().preemptive().basic("bob", "bob-pw").when().get("/q/poolwatch/").then().statusCode(200);
        // poolwatch's built-in role name counts only when mapped: carol's "viewer" is not one of this host's roles.
        given().auth().preemptive().basic("carol", "carol-pw").when().get("/q/poolwatch/api/v1/pools").then().statusCode(403);
    }

    @Test
    void theHostsOwnEndpointsAreNotGuardedByPoolwatch() {
        given().when().get("/hello").then().statusCode(200);
    }

    @Test
    void onlyPoolwatchsOwnChangesAreAudited() {
        // Not forms (a form needs the CSRF token of a page): a JSON API call of the host's, one of poolwatch's API.
        given().contentType("application/json").body("{}").when().post("/hello").then().log().ifValidationFails()
                .statusCode(200);
        given().auth().preemptive().basic("bob", "bob-pw").contentType("application/json").when()
                .post("/q/poolwatch/api/v1/pools/main/reset-metrics").then().log().ifValidationFails().statusCode(200);
        // The audit records an action once its answer has been sent: wait for it, within a bound.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String audit;
        do {
            audit = given().auth().preemptive().basic("bob", "bob-pw").when().get("/q/poolwatch/api/v1/audit").then()
                    .statusCode(200)
                    .extract().asString();
        } while (!audit.contains("reset-metrics") && System.nanoTime() < deadline);
        Assertions.assertTrue(audit.contains("/q/poolwatch/api/v1/pools/main/reset-metrics"), audit);
        Assertions.assertFalse(audit.contains("/hello"),
                "a host's own write is not poolwatch's admin action: " + audit);
    }
}
