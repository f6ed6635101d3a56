package io.poolwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.OpenApiContract;
import io.poolwatch.testing.PoolwatchProcess;
import io.poolwatch.testing.SecurityProfile;
import io.poolwatch.testing.TestDatabases;

/**
 * The packaged application, as a container runs it: the OpenAPI document is served (to a viewer), Swagger UI is not
 * (Quarkus includes it in dev and test mode only), and a real answer of the production build is what the document
 * says.
 */
class OpenApiIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void thePackagedApplicationServesTheDocumentToAViewerAndNoSwaggerUi() throws Exception {
        Map<String, String> users = Map.of(
                "quarkus.security.users.embedded.users." + SecurityProfile.VIEWER,
                SecurityProfile.hash(SecurityProfile.VIEWER, SecurityProfile.VIEWER_PASSWORD),
                "quarkus.security.users.embedded.roles." + SecurityProfile.VIEWER, "viewer",
                "poolwatch.alerting.outbox.path", "target/openapi-it-outbox");
        try (PoolwatchProcess app = PoolwatchProcess.start(Map.of("DATABASE_URL", TestDatabases.postgres().seedUrl()), users)) {
            assertTrue(app.awaitStarted(START).isPresent(), app.output());
            String viewer = "Basic " + Base64.getEncoder().encodeToString(
                    (SecurityProfile.VIEWER + ":" + SecurityProfile.VIEWER_PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertEquals(401, get(app, "/q/openapi.json", null).statusCode());
            HttpResponse<String> document = get(app, "/q/openapi.json", viewer);
            assertEquals(200, document.statusCode(), document.body());
            OpenApiContract contract = OpenApiContract.of(document.body()).strict();
            assertEquals("viewer", contract.operation("GET", "/api/v1/pools/{name}").path("x-poolwatch-role").asText());
            assertEquals(404, get(app, "/q/swagger-ui/", viewer).statusCode(), "Swagger UI is not in the packaged application");
            assertEquals(401, get(app, "/q/swagger-ui/", null).statusCode());
            for (String path : List.of("/api/v1/pools", "/api/v1/pools/main", "/api/v1/database/pool/status",
                    "/api/v1/health")) {
                HttpResponse<String> answer = get(app, path, viewer);
                String template = path.equals("/api/v1/pools/main") ? "/api/v1/pools/{name}" : path;
                assertEquals(List.of(), contract.problems("GET", template, answer.statusCode(),
                        answer.headers().firstValue("Content-Type").orElse(null), answer.body()), path);
            }
        }
    }

    private static HttpResponse<String> get(PoolwatchProcess app, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUri() + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
