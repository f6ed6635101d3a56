package io.poolwatch.deployment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.poolwatch.security.Access;
import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;

/**
 * A host application that adds {@code quarkus-smallrye-openapi}: its document has poolwatch's JSON API at the paths it is
 * served at under {@code /q/poolwatch}, with each operation's role, beside the host's own endpoints; a record name both
 * use keeps the host's schema and gives poolwatch's another name; the host limiting its own scan to its packages does not
 * hide poolwatch's. The host's {@code /q/openapi} is the host's, outside poolwatch's root and policy.
 */
class HostOpenApiTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = TestApps.host("openapi", Hello.class, Health.class)
            .setForcedDependencies(List.of(Dependency.of("io.quarkus", "quarkus-smallrye-openapi-deployment",
                    Version.getVersion())))
            // The host limits its own scan to its package: poolwatch's API is documented all the same.
            .overrideConfigKey("mp.openapi.scan.packages", HostOpenApiTest.class.getPackageName());

    /** A name poolwatch's API uses too (HealthResource.Health). */
    public record Health(String mood) {
    }

    /** The host's own endpoint. */
    @Path("/hello")
    public static class Hello {
        @GET
        public Health hello() {
            return new Health("fine");
        }
    }

    private static JsonPath document() {
        return given().when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void poolwatchsApiIsDocumentedAtItsPathsUnderTheRootWithItsRoles() {
        JsonPath doc = document();
        Map<String, Object> paths = doc.getMap("paths");
        List<String> missing = new ArrayList<>();
        for (Access.Rule rule : Access.table()) {
            // The simulator's endpoints belong to the standalone service.
            if (!rule.template().startsWith("/api/") || rule.template().startsWith("/api/v1/simulator")) {
                continue;
            }
            String path = "/q/poolwatch" + rule.template();
            Map<String, Object> op = doc.getMap("paths.'" + path + "'." + rule.method().toLowerCase(Locale.ROOT));
            if (op == null) {
                missing.add(rule.method() + " " + path);
            } else if (!rule.access().name().toLowerCase(Locale.ROOT).equals(op.get("x-poolwatch-role"))) {
                missing.add(rule.method() + " " + path + ": x-poolwatch-role " + op.get("x-poolwatch-role"));
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(paths.keySet().stream().noneMatch(p -> p.startsWith("/api/")),
                "no path outside the root: " + paths.keySet());
        assertTrue(paths.keySet().stream().noneMatch(p -> p.equals("/q/poolwatch") || p.startsWith("/q/poolwatch/pools")
                || p.startsWith("/q/poolwatch/actions")), "the pages and forms are left out: " + paths.keySet());
        assertTrue(paths.containsKey("/hello"), "the host's own endpoint is documented: " + paths.keySet());
    }

    @Test
    void aSchemaNameTheHostUsesStaysTheHostsAndPoolwatchsIsRenamed() {
        JsonPath doc = document();
        assertEquals("#/components/schemas/Health",
                doc.getString("paths.'/hello'.get.responses.'200'.content.'application/json'.schema.'$ref'"));
        assertEquals(List.of("mood"), List.copyOf(doc.getMap("components.schemas.Health.properties").keySet()));
        String ours = doc
                .getString("paths.'/q/poolwatch/api/v1/health'.get.responses.'200'.content.'application/json'.schema.'$ref'");
        assertEquals("#/components/schemas/PoolwatchHealth", ours);
        assertTrue(doc.getMap("components.schemas.PoolwatchHealth.properties").containsKey("components"));
        assertTrue(doc.getList("components.schemas.PoolwatchHealth.required").contains("status"));
    }

    @Test
    void theHostsDocumentIsTheHostsToGuard() {
        // No users here: the host's /q/openapi answers as the host configures it, poolwatch's root is not involved.
        given().when().get("/q/openapi").then().statusCode(200);
        given().when().get("/q/poolwatch/q/openapi").then().statusCode(404);
    }
}
