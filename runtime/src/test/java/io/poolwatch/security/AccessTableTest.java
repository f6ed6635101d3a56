package io.poolwatch.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.junit.jupiter.api.Test;

import io.poolwatch.web.RootedPath;

/** The access table names every endpoint, and nothing it does not name is let in. */
class AccessTableTest {

    @Test
    void everyResourceMethodIsNamedWithItsOwnTemplate() throws Exception {
        List<String> missing = new ArrayList<>();
        int found = 0;
        for (Class<?> type : resources()) {
            String root = type.getAnnotation(RootedPath.class).value();
            for (Method m : type.getDeclaredMethods()) {
                String verb = verb(m);
                if (verb == null) {
                    continue;
                }
                found++;
                jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                String template = ("/" + root + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
                if (template.length() > 1 && template.endsWith("/")) {
                    template = template.substring(0, template.length() - 1);
                }
                String t = template;
                boolean named = Access.table().stream().anyMatch(r -> r.method().equals(verb) && r.template().equals(t));
                if (!named || Access.forEndpoint(verb, template) == Access.DENY
                        || Access.required(verb, template) != Access.forEndpoint(verb, template)) {
                    missing.add(verb + " " + template + " (" + type.getSimpleName() + "." + m.getName() + ")");
                }
            }
        }
        assertTrue(found >= 25, "resources were found: " + found);
        assertEquals(List.of(), missing, "endpoints the access table does not name");
    }

    @Test
    void whatTheTableDoesNotNameIsDenied() {
        assertEquals(Access.DENY, Access.required("GET", "/api/v1/nothing"));
        assertEquals(Access.DENY, Access.required("GET", "/api/v1/audit/x"));
        assertEquals(Access.DENY, Access.required("GET", "/favicon.ico"));
        assertEquals(Access.DENY, Access.required("GET", "/API/v1/audit"));
        assertEquals(Access.DENY, Access.required("GET", "/api/v1/pools/main/leaks/x"));
        assertEquals(Access.DENY, Access.forEndpoint("PUT", "/api/v1/pools/{name}"), "a resource method without a line");
        assertEquals(Access.DENY, Access.forEndpoint("GET", "/api/v1/pools/main"), "templates, not paths");
        assertEquals(Access.DENY, Access.required("GET", "/q/health/live", false),
                "in a host, /q/ below the root is nothing of Quarkus's");
    }

    @Test
    void aPathNamedForOtherMethodsNeedsItsStrictestRoleSoTheRouterAnswers405() {
        assertEquals(Access.ADMIN, Access.required("PUT", "/api/v1/pools/main"));
        assertEquals(Access.ADMIN, Access.required("DELETE", "/api/v1/pools"));
        assertEquals(Access.VIEWER, Access.required("OPTIONS", "/api/v1/pools"));
        assertEquals(Access.ADMIN, Access.required("OPTIONS", "/api/v1/audit"));
        assertEquals(Access.ADMIN, Access.required("GET", "/actions/faults"));
        assertEquals(Access.ADMIN, Access.required("POST", "/q/metrics"));
    }

    @Test
    void theRolesOfTheTable() {
        assertEquals(Access.ADMIN, Access.required("GET", "/api/v1/audit"));
        assertEquals(Access.VIEWER, Access.required("HEAD", "/api/v1/pools/main"));
        assertEquals(Access.VIEWER, Access.required("GET", "/api/v1/pools/status"));
        assertEquals(Access.ADMIN, Access.required("POST", "/api/v1/pools/main/reset-metrics"));
        assertEquals(Access.OPEN, Access.required("GET", "/q/health/ready"));
        assertEquals(Access.METRICS, Access.required("GET", "/q/metrics"));
        assertEquals(Access.VIEWER, Access.required("GET", "/static/css/dashboard.css"));
        assertEquals(Access.DEV, Access.required("GET", "/q/dev-ui/"));
        assertEquals(Access.VIEWER, Access.required("GET", "/"));
    }

    @Test
    void theOpenApiDocumentAndSwaggerUiAreReadLikeTheApi() {
        for (String path : List.of("/q/openapi", "/q/openapi.json", "/q/openapi.yaml", "/q/openapi.yml", "/q/swagger-ui",
                "/q/swagger-ui/index.html")) {
            assertEquals(Access.VIEWER, Access.required("GET", path), path);
            assertEquals(Access.VIEWER, Access.required("HEAD", path), path);
            assertEquals(Access.ADMIN, Access.required("POST", path), path + ": only read");
            assertEquals(Access.DENY, Access.required("GET", path, false),
                    path + ": below a host's root, nothing of Quarkus's");
        }
        assertEquals(Access.DEV, Access.required("GET", "/q/openapi/more"), "the document is one path, not a prefix");
        assertEquals(Access.DEV, Access.required("GET", "/q/openapix"));
        assertEquals(Access.DEV, Access.required("GET", "/q/swagger"));
    }

    private static String verb(Method m) {
        return m.isAnnotationPresent(GET.class) ? "GET"
                : m.isAnnotationPresent(POST.class) ? "POST"
                        : m.isAnnotationPresent(DELETE.class) ? "DELETE"
                                : m.isAnnotationPresent(PUT.class) ? "PUT"
                                        : m.isAnnotationPresent(PATCH.class) ? "PATCH"
                                                : m.isAnnotationPresent(HEAD.class) ? "HEAD"
                                                        : m.isAnnotationPresent(OPTIONS.class) ? "OPTIONS" : null;
    }

    private static List<Class<?>> resources() throws IOException, ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("target/classes/io/poolwatch/web"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$"))
                    .toList()) {
                Class<?> c = Class.forName("io.poolwatch.web." + f.getFileName().toString().replace(".class", ""));
                if (c.isAnnotationPresent(RootedPath.class)) {
                    types.add(c);
                }
            }
        }
        return types;
    }
}
