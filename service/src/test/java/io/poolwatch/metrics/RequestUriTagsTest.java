package io.poolwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.SecurityProfile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Request paths are not label values: 200 distinct paths that no endpoint answers with that method (405 before routing
 * was decided on the table, 403 now) leave {@code http_server_requests} with templated {@code uri} values only.
 */
@QuarkusTest
@TestProfile(SecurityProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class RequestUriTagsTest {

    private static final Pattern URI = Pattern.compile("^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"",
            Pattern.MULTILINE);

    @Test
    void pathsAnsweredWithoutARouteDoNotBecomeLabelValues() {
        // Methods the paths' templates do not take (405 when the router decided), on the API, the pages and the static files.
        List<String[]> kinds = List.of(new String[] { "GET", "/api/v1/pools/uri-probe-%d/reset-metrics" },
                new String[] { "PUT", "/api/v1/pools/uri-probe-%d" }, new String[] { "DELETE", "/pools/uri-probe-%d" },
                new String[] { "POST", "/api/v1/pools/uri-probe-%d/leaks" },
                new String[] { "PATCH", "/static/uri-probe-%d.css" });
        for (int i = 0; i < 200; i++) {
            for (String[] kind : kinds) {
                int status = given().auth().preemptive().basic(SecurityProfile.ADMIN, SecurityProfile.ADMIN_PASSWORD)
                        .contentType("application/json")
                        .body("{}").when().request(kind[0], String.format(kind[1], i)).then().extract().statusCode();
                assertTrue(status >= 400 && status < 500, kind[0] + " " + kind[1] + ": " + status);
            }
        }
        given().auth().preemptive().basic(SecurityProfile.VIEWER, SecurityProfile.VIEWER_PASSWORD).when()
                .get("/api/v1/pools/main").then()
                .statusCode(200);
        String text = given().header("Authorization", "Bearer " + SecurityProfile.METRICS_TOKEN).when().get("/q/metrics").then()
                .statusCode(200)
                .extract().asString();
        Set<String> uris = new TreeSet<>();
        Matcher m = URI.matcher(text);
        while (m.find()) {
            uris.add(m.group(1));
        }
        assertTrue(uris.contains("/api/v1/pools/{name}"), "the templated path of a routed request is there: " + uris);
        assertEquals(List.of(), uris.stream().filter(u -> u.contains("uri-probe")).limit(5).toList(),
                uris.size() + " uri values");
        assertTrue(uris.size() < 50, "uri values stay few: " + uris);
    }
}
