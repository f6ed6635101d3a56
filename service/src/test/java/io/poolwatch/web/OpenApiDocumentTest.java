package io.poolwatch.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.poolwatch.security.Access;
import io.poolwatch.testing.OpenApiContract;
import io.poolwatch.testing.OpenApiProfile;
import io.poolwatch.testing.PgBouncerTestResource;
import io.poolwatch.testing.RootedEndpoints;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code /q/openapi} describes the JSON API as it is served: every resource method under {@code /api/} (read by
 * reflection, so an endpoint added without documentation fails here) at its real path, with the role
 * {@link Access}'s table gives it, and nothing else of poolwatch's.
 */
@QuarkusTest
@TestProfile(OpenApiProfile.class)
@WithTestResource(PgBouncerTestResource.class)
class OpenApiDocumentTest {

    static OpenApiContract contract() {
        return OpenApiContract.of(given().when().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
    }

    @Test
    void everyJsonEndpointIsDocumentedAtItsPathWithTheRoleTheAccessTableGivesIt() {
        OpenApiContract contract = contract();
        List<RootedEndpoints.Endpoint> api = RootedEndpoints.all().stream().filter(e -> e.template().startsWith("/api/"))
                .toList();
        assertTrue(api.size() >= 30, "the API's resource methods were found: " + api);
        List<String> wrong = new ArrayList<>();
        for (RootedEndpoints.Endpoint e : api) {
            JsonNode op = contract.operation(e.method(), e.template());
            if (op.isMissingNode()) {
                wrong.add(e.method() + " " + e.template() + " (" + e.source() + ") is not in the document");
                continue;
            }
            Access access = Access.forEndpoint(e.method(), e.template());
            String role = access.name().toLowerCase(Locale.ROOT);
            if (access != Access.VIEWER && access != Access.ADMIN) {
                wrong.add(e.method() + " " + e.template() + ": the access table gives it " + access);
            }
            if (!role.equals(op.path("x-poolwatch-role").asText())) {
                wrong.add(e.method() + " " + e.template() + ": x-poolwatch-role " + op.path("x-poolwatch-role")
                        + ", the table says " + role);
            }
            // One requirement per scheme, each naming the role.
            Set<String> schemes = new TreeSet<>();
            for (JsonNode requirement : op.path("security")) {
                requirement.fields().forEachRemaining(s -> {
                    schemes.add(s.getKey());
                    if (s.getValue().size() != 1 || !role.equals(s.getValue().get(0).asText())) {
                        wrong.add(e.method() + " " + e.template() + ": " + s.getKey() + " asks for " + s.getValue() + ", not ["
                                + role + "]");
                    }
                });
            }
            if (!schemes.equals(Set.of("poolwatch-basic", "poolwatch-bearer"))) {
                wrong.add(e.method() + " " + e.template() + ": security schemes " + schemes);
            }
            for (String status : List.of("400", "401", "403")) {
                if (op.path("responses").path(status).isMissingNode()) {
                    wrong.add(e.method() + " " + e.template() + ": no " + status + " answer");
                }
            }
            if (e.template().contains("{") && op.path("responses").path("404").isMissingNode()) {
                wrong.add(e.method() + " " + e.template() + ": a path with a name and no 404 answer");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void theDocumentHasTheAccessTablesApiAndNothingElseOfPoolwatchs() {
        OpenApiContract contract = contract();
        Set<String> documented = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = contract.document().path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames()
                    .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        Set<String> table = new TreeSet<>();
        for (Access.Rule rule : Access.table()) {
            if (rule.template().startsWith("/api/")) {
                table.add(rule.method() + " " + rule.template());
            }
        }
        Set<String> served = new TreeSet<>();
        RootedEndpoints.all().stream().filter(e -> e.template().startsWith("/api/"))
                .forEach(e -> served.add(e.method() + " " + e.template()));
        assertEquals(served, documented, "the document's operations are the API's resource methods, no more");
        assertEquals(table, documented, "the document's operations are the access table's API lines");
        // The pages and the dashboard's forms are left out: HTML for a browser, forms with a page's CSRF token.
        for (RootedEndpoints.Endpoint e : RootedEndpoints.all()) {
            if (!e.template().startsWith("/api/")) {
                assertTrue(e.produces().contains("text/html"), e + " is outside /api/ but not a page");
                assertTrue(contract.operation(e.method(), e.template()).isMissingNode(), e + " is in the document");
            }
        }
    }

    @Test
    void theSecuritySchemesArePoolwatchsOwnAndTheErrorBodyIsTheApisOne() {
        JsonNode components = contract().document().path("components");
        JsonNode schemes = components.path("securitySchemes");
        Set<String> names = new TreeSet<>();
        schemes.fieldNames().forEachRemaining(names::add);
        assertEquals(Set.of("poolwatch-basic", "poolwatch-bearer"), names,
                "Quarkus's automatic scheme is off (an OIDC one without its URL)");
        assertEquals("http", schemes.path("poolwatch-basic").path("type").asText());
        assertEquals("basic", schemes.path("poolwatch-basic").path("scheme").asText());
        assertEquals("bearer", schemes.path("poolwatch-bearer").path("scheme").asText());
        JsonNode error = components.path("schemas").path("ApiError");
        assertEquals(Set.of("error", "status"),
                new TreeSet<>(List.of(error.path("required").get(0).asText(), error.path("required").get(1).asText())));
        assertFalse(error.path("additionalProperties").asBoolean(true), error.toString());
    }

    @Test
    void theDocumentIsTheSameInEverySpellingQuarkusServes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode asJson = json
                .readTree(given().when().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        assertEquals(asJson, json.readTree(given().when().get("/q/openapi.json").then().statusCode(200).extract().asString()));
        YAMLMapper yaml = new YAMLMapper();
        for (String path : List.of("/q/openapi", "/q/openapi.yaml", "/q/openapi.yml")) {
            JsonNode doc = yaml.readTree(given().when().get(path).then().statusCode(200).extract().asString());
            assertEquals(asJson.path("paths").size(), doc.path("paths").size(), path);
            assertEquals(asJson.path("paths").path("/api/v1/pools"), doc.path("paths").path("/api/v1/pools"), path);
        }
        assertTrue(asJson.path("openapi").asText().startsWith("3.1"),
                "OpenAPI 3.1, what the contract tests validate in: " + asJson.path("openapi"));
    }
}
