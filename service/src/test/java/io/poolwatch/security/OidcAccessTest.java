package io.poolwatch.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/**
 * OIDC by configuration alone: the same build, pointed at an OIDC provider (Quarkus's WireMock-based test server,
 * which signs tokens with its own key), takes bearer tokens and maps their groups to the roles.
 */
@QuarkusTest
@TestProfile(OidcAccessTest.OidcProfile.class)
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class OidcAccessTest {

    /** Only configuration: the provider's URL, the client, the tenant on. */
    public static class OidcProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus/",
                    "quarkus.oidc.client-id", "quarkus-service-app",
                    "quarkus.oidc.application-type", "service",
                    "poolwatch.alerting.outbox.path", "target/oidc-profile-outbox");
        }
    }

    private static String token(String user, String... groups) {
        return OidcWiremockTestResource.getAccessToken(user, Set.of(groups));
    }

    @Test
    void aBearerTokenGroupsAreTheRoles() {
        given().when().get("/api/v1/pools").then().statusCode(401);
        given().auth().oauth2("not-a-token").when().get("/api/v1/pools").then().statusCode(401);
        given().auth().oauth2(token("grafana", "viewer")).when().get("/api/v1/pools").then().statusCode(200);
        given().auth().oauth2(token("grafana", "viewer")).contentType(ContentType.JSON).when().post("/api/v1/checks/nope/run")
                .then()
                .statusCode(403);
        given().auth().oauth2(token("ops", "admin")).contentType(ContentType.JSON).when().post("/api/v1/checks/nope/run").then()
                .statusCode(404);
        given().auth().oauth2(token("someone", "user")).when().get("/").then().statusCode(403);
        given().auth().oauth2(token("ops", "admin")).when().get("/api/v1/audit?type=admin.action").then().statusCode(200)
                .body(containsString("\"user\":\"ops\""));
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
