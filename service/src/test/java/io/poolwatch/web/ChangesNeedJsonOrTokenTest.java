package io.poolwatch.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.poolwatch.alerting.Alerting;
import io.poolwatch.alerting.Silence;
import io.poolwatch.checks.CheckStatus;
import io.poolwatch.checks.ConsistencyChecks;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.simulator.LoadSimulator;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.ChangeGuardProfile;
import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * A change (POST, PUT, PATCH, DELETE) to one of poolwatch's own resources needs a JSON content type or a dashboard
 * form with its CSRF token, whether or not the request says where it comes from: a page elsewhere can send a
 * {@code text/plain}, form or multipart POST without asking the browser first, and not every client sends
 * {@code Origin}. Every such endpoint, read from the resources (not a list kept by hand), is sent each of those bodies
 * without {@code Origin}: each is refused, and nothing it would do is done (no metrics reset, no check run, no silence
 * made or ended, no fault or simulation started).
 */
@QuarkusTest
@TestProfile(ChangeGuardProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ChangesNeedJsonOrTokenTest {

    @Inject
    PoolRegistry registry;

    @Inject
    PoolSampler sampler;

    @Inject
    ConsistencyChecks checks;

    @Inject
    Alerting alerting;

    @Inject
    LoadSimulator simulator;

    /** A change endpoint: its method and its path, with path parameters still in braces. */
    record Endpoint(String method, String template) {
    }

    /** A body a browser can send to another site without asking first, with no token. */
    enum Body {
        TEXT_PLAIN,
        NO_CONTENT_TYPE,
        FORM_WITHOUT_TOKEN,
        MULTIPART_WITHOUT_TOKEN;

        RequestSpecification apply(RequestSpecification s) {
            return switch (this) {
                case TEXT_PLAIN -> s.contentType("text/plain").body("{\"matchers\":[]}");
                case NO_CONTENT_TYPE -> s.noContentType();
                case FORM_WITHOUT_TOKEN -> s.contentType(ContentType.URLENC).formParam("back", "/").formParam("kind", "slow")
                        .formParam("workload", "main").formParam("duration", "1s");
                case MULTIPART_WITHOUT_TOKEN ->
                    s.multiPart("back", "/").multiPart("kind", "slow").multiPart("workload", "main");
            };
        }
    }

    /** poolwatch's own resources that change something: every non-safe method of every {@link RootedPath} class. */
    static List<Endpoint> changes() throws IOException, ClassNotFoundException {
        List<Endpoint> all = new ArrayList<>();
        for (String[] place : new String[][] { { "../runtime/target/classes/io/poolwatch/web", "io.poolwatch.web." },
                { "target/classes/io/poolwatch/simulator", "io.poolwatch.simulator." } }) {
            try (Stream<Path> files = Files.list(Path.of(place[0]))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$"))
                        .toList()) {
                    Class<?> type = Class.forName(place[1] + f.getFileName().toString().replace(".class", ""));
                    RootedPath rooted = type.getAnnotation(RootedPath.class);
                    if (rooted == null) {
                        continue;
                    }
                    for (Method m : type.getDeclaredMethods()) {
                        String verb = m.isAnnotationPresent(POST.class) ? "POST"
                                : m.isAnnotationPresent(DELETE.class) ? "DELETE"
                                        : m.isAnnotationPresent(PUT.class) ? "PUT"
                                                : m.isAnnotationPresent(PATCH.class) ? "PATCH" : null;
                        if (verb == null) {
                            continue;
                        }
                        jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                        String path = ("/" + rooted.value() + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
                        if (path.length() > 1 && path.endsWith("/")) {
                            path = path.substring(0, path.length() - 1);
                        }
                        all.add(new Endpoint(verb, path));
                    }
                }
            }
        }
        return all;
    }

    /** The path with its parameters filled with things that exist, so an accepted request would act. */
    private String concrete(Endpoint e, String silenceId) {
        String pool = registry.names().iterator().next();
        return e.template().replaceAll("pools/\\{[^}]+\\}", "pools/" + pool)
                .replaceAll("checks/\\{[^}]+\\}", "checks/" + ChangeGuardProfile.CHECK)
                .replaceAll("silences/\\{[^}]+\\}", "silences/" + silenceId).replaceAll("faults/\\{[^}]+\\}", "faults/slow");
    }

    /** Everything a change endpoint can do, as text: equal before and after means nothing was done. */
    private String effects() {
        StringBuilder s = new StringBuilder();
        for (String pool : registry.names()) {
            s.append("reset ").append(pool).append('=').append(sampler.baseline(pool).at()).append('\n');
        }
        for (var d : checks.definitions()) {
            long runs = Arrays.stream(CheckStatus.values()).mapToLong(st -> checks.runs(d.name(), st)).sum();
            s.append("check ").append(d.name()).append(" runs=").append(runs).append(" skipped=")
                    .append(checks.skipped(d.name()))
                    .append(" running=").append(checks.running(d.name())).append('\n');
        }
        for (Silence silence : alerting.silences().all()) {
            s.append("silence ").append(silence.id()).append(" ends ").append(silence.endsAt()).append('\n');
        }
        s.append("faults ").append(simulator.faults().size()).append('\n');
        s.append("simulation ").append(simulator.current().map(sim -> sim.running() + " " + sim.startedAt()).orElse("none"))
                .append('\n');
        return s.toString();
    }

    @AfterEach
    void faultsHaveEnded() throws Exception {
        Await.until("every fault has ended", () -> simulator.faults().stream().noneMatch(f -> f.state().equals("running")));
    }

    @Test
    void everyChangeWithoutJsonOrTokenIsRefusedAndDoesNothing() throws Exception {
        List<Endpoint> changes = changes();
        assertTrue(changes.size() >= 10, "the change endpoints were found: " + changes);
        Silence silence = alerting.silences().create(List.of(new Silence.Matcher("pool", "guard", false, true)),
                Instant.now().plus(Duration.ofHours(1)), "test", "kept");
        List<String> wrong = new ArrayList<>();
        for (Endpoint e : changes) {
            String path = concrete(e, silence.id());
            for (Body body : Body.values()) {
                String before = effects();
                int status = body.apply(given().redirects().follow(false)).when().request(e.method(), path).then().extract()
                        .statusCode();
                String after = effects();
                if (status != 400 && status != 403 && status != 415) {
                    wrong.add(e.method() + " " + path + " with " + body + ": " + status);
                }
                if (!before.equals(after)) {
                    wrong.add(e.method() + " " + path + " with " + body + " acted: " + before + " -> " + after);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void theSameEndpointsWithJsonActSoTheGuardAboveCouldHaveSeenIt() {
        String pool = registry.names().iterator().next();
        Instant reset = sampler.baseline(pool).at();
        given().contentType(ContentType.JSON).when().post("/api/v1/pools/" + pool + "/reset-metrics").then().statusCode(200);
        assertNotEquals(reset, sampler.baseline(pool).at());
        String before = effects();
        given().contentType(ContentType.JSON).when().post("/api/v1/checks/" + ChangeGuardProfile.CHECK + "/run").then()
                .statusCode(200);
        assertNotEquals(before, effects(), "a check run shows in the effects");
        // a refusal names what is accepted
        String error = given().contentType("text/plain").body("x").when().post("/api/v1/pools/" + pool + "/reset-metrics")
                .then()
                .extract().jsonPath().getString("error");
        assertTrue(error != null && error.contains("application/json") && error.contains("CSRF"), error);
    }
}
