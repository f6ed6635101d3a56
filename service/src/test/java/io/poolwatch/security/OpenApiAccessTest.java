package io.poolwatch.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.OpenApiContract;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.RawHttp;
import io.poolwatch.testing.SecurityProfile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * With users configured, {@code /q/openapi} and {@code /q/swagger-ui} are read like the API they describe: the viewer
 * role (or admin) is needed, however the path is spelt (the spellings {@link PathVariantsTest} generates are sent to
 * them too); and the refusals the document promises (401 with a challenge
 * and no body, 403 with no body) are the ones given.
 */
@QuarkusTest
@TestProfile(SecurityProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class OpenApiAccessTest {

    /** Spellings of the document's paths that are served. */
    private static final List<String> SPELLINGS = List.of("/q/openapi", "/q/openapi.json", "/q/openapi.yaml", "/q/openapi.yml",
            "/q/openapi/",
            "/q/openapi?format=json", "/q/./openapi", "/q/x/../openapi", "/q/%6Fpenapi");

    @Test
    void theDocumentNeedsTheViewerRoleInEverySpelling() {
        RawHttp anonymous = RawHttp.to(RestAssured.port);
        RawHttp noRole = anonymous.basic(SecurityProfile.NO_ROLE, SecurityProfile.NO_ROLE_PASSWORD);
        RawHttp viewer = anonymous.basic(SecurityProfile.VIEWER, SecurityProfile.VIEWER_PASSWORD);
        RawHttp admin = anonymous.basic(SecurityProfile.ADMIN, SecurityProfile.ADMIN_PASSWORD);
        List<String> wrong = new ArrayList<>();
        for (String path : SPELLINGS) {
            expect(wrong, "anonymous", anonymous.send("GET", path), path, 401);
            expect(wrong, "no role", noRole.send("GET", path), path, 403);
            expect(wrong, "viewer", viewer.send("GET", path), path, 200);
            expect(wrong, "admin", admin.send("GET", path), path, 200);
        }
        // Matrix parameters are read away for the decision, which the route does not: who may read is let past, to nothing.
        expect(wrong, "anonymous", anonymous.send("GET", "/q/openapi;x"), "/q/openapi;x", 401);
        expect(wrong, "no role", noRole.send("GET", "/q/openapi;x"), "/q/openapi;x", 403);
        expect(wrong, "viewer", viewer.send("GET", "/q/openapi;x"), "/q/openapi;x", 404);
        // A doubled slash is refused before anyone is asked who they are; below the document is nothing poolwatch names.
        expect(wrong, "admin", admin.send("GET", "/q//openapi"), "/q//openapi", 400);
        expect(wrong, "viewer", viewer.send("GET", "/q/openapi/more"), "/q/openapi/more", 403);
        // Only read: a change there needs the admin role, and then finds nothing to change.
        expect(wrong, "viewer", viewer.send("POST", "/q/openapi"), "POST /q/openapi", 403);
        // Swagger UI (in dev and test mode; OpenApiIT: not in the packaged application) needs the viewer role too.
        expect(wrong, "anonymous", anonymous.send("GET", "/q/swagger-ui/"), "/q/swagger-ui/", 401);
        expect(wrong, "no role", noRole.send("GET", "/q/swagger-ui/index.html"), "/q/swagger-ui/index.html", 403);
        expect(wrong, "viewer", viewer.send("GET", "/q/swagger-ui/"), "/q/swagger-ui/", 200);
        assertEquals(List.of(), wrong);
    }

    @Test
    void theRefusalsAreTheOnesTheDocumentDescribes() {
        OpenApiContract contract = OpenApiContract
                .of(given().auth().preemptive().basic(SecurityProfile.VIEWER, SecurityProfile.VIEWER_PASSWORD)
                        .when().get("/q/openapi.json").then().statusCode(200).extract().asString());
        Response challenged = given().when().get("/api/v1/pools");
        assertEquals(401, challenged.statusCode());
        assertTrue(contract.response("GET", "/api/v1/pools", 401).orElseThrow().path("headers").has("WWW-Authenticate"));
        assertTrue(challenged.header("WWW-Authenticate") != null, "the 401 carries the challenge the document names");
        assertEquals(List.of(),
                contract.problems("GET", "/api/v1/pools", 401, challenged.contentType(), challenged.asString()));
        Response forbidden = given().auth().preemptive().basic(SecurityProfile.VIEWER, SecurityProfile.VIEWER_PASSWORD).when()
                .get("/api/v1/audit");
        assertEquals(403, forbidden.statusCode());
        assertEquals(List.of(), contract.problems("GET", "/api/v1/audit", 403, forbidden.contentType(), forbidden.asString()));
        assertEquals("admin", contract.operation("GET", "/api/v1/audit").path("x-poolwatch-role").asText());
        assertEquals("viewer", contract.operation("GET", "/api/v1/pools").path("x-poolwatch-role").asText());
    }

    private static void expect(List<String> wrong, String who, RawHttp.Answer answer, String path, int status) {
        if (answer.status() != status) {
            wrong.add(who + " GET " + path + ": " + answer.status() + ", expected " + status);
        }
    }
}
