package io.poolwatch.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.poolwatch.alerting.Alerting;
import io.poolwatch.observed.ApplicationSampler;
import io.poolwatch.observed.BlockingSampler;
import io.poolwatch.observed.PgBouncerSampler;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.ServerSampler;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.OpenApiContract;
import io.poolwatch.testing.OpenApiProfile;
import io.poolwatch.testing.PgBouncerTestResource;
import io.poolwatch.testing.TestDatabases;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Real answers of a running poolwatch against {@code /q/openapi}: every read endpoint of the document is called with
 * something behind it (pools with history, a leak, a slow statement, a firing alert and a silence, checks with results,
 * an observed application's sessions, a session blocked by another, PgBouncers up and down, a receiver failing), the
 * changes are made, errors are provoked, and each body is validated against the document's schema for its operation
 * and status, strictly (a property the document does not name is refused too). A body that differs from its schema
 * fails the same check.
 */
@QuarkusTest
@TestProfile(OpenApiProfile.class)
@WithTestResource(PgBouncerTestResource.class)
class OpenApiResponsesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The table a blocked session waits on. */
    private static final String LOCKED = "openapi_contract_lock";

    @Inject
    PoolRegistry registry;
    @Inject
    PoolSampler pools;
    @Inject
    ServerSampler servers;
    @Inject
    ApplicationSampler applications;
    @Inject
    PgBouncerSampler pgbouncers;
    @Inject
    BlockingSampler blocking;
    @Inject
    Alerting alerting;

    private static OpenApiContract contract() {
        return OpenApiDocumentTest.contract().strict();
    }

    /** A path template with its names filled in with ones that exist here. */
    private static String concrete(String template) {
        String p = template.replace("/checks/{name}", "/checks/" + OpenApiProfile.PASSING_CHECK)
                .replace("/applications/{name}", "/applications/" + OpenApiProfile.APPLICATION)
                .replace("/pgbouncers/{name}", "/pgbouncers/edge")
                .replace("/pools/{name}", "/pools/jobs")
                .replace("/replicas/{workload}", "/replicas/main");
        return p.equals("/api/v1/trends") ? p + "?figure=utilization" : p;
    }

    @Test
    void everyReadAnswersAsTheDocumentSays() throws Exception {
        Map<String, Response> whileBusy = busy();
        OpenApiContract contract = contract();
        List<String> problems = new ArrayList<>();
        whileBusy.forEach((template, answer) -> problems.addAll(check(contract, "GET", template, answer)));
        int checked = 0;
        Iterator<Map.Entry<String, JsonNode>> paths = contract.document().path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getValue().has("get")) {
                continue;
            }
            problems.addAll(check(contract, "GET", path.getKey(), given().when().get(concrete(path.getKey()))));
            checked++;
        }
        // The other side of the names: a PgBouncer that is down, the other check, the pool with the leak and the slow statement.
        problems.addAll(check(contract, "GET", "/api/v1/pgbouncers/{name}", given().when().get("/api/v1/pgbouncers/gone")));
        problems.addAll(check(contract, "GET", "/api/v1/checks/{name}",
                given().when().get("/api/v1/checks/" + OpenApiProfile.FAILING_CHECK)));
        problems.addAll(check(contract, "GET", "/api/v1/pools/{name}", given().when().get("/api/v1/pools/main")));
        problems.addAll(check(contract, "GET", "/api/v1/pools/{name}/trends",
                given().when().get("/api/v1/pools/main/trends?figure=utilization")));
        problems.addAll(check(contract, "GET", "/api/v1/trends",
                given().when().get("/api/v1/trends?figure=sessions&kind=application")));
        assertTrue(checked >= 25, "the document's reads were called: " + checked);
        assertEquals(List.of(), problems);
        // What was validated had content: the reads were not empty answers that any schema takes.
        given().when().get("/api/v1/pools/jobs/leaks").then().statusCode(200).body("size()",
                Matchers.greaterThan(0));
        given().when().get("/api/v1/alerts").then().statusCode(200).body("alerts.size()", Matchers.greaterThan(0));
        given().when().get("/api/v1/pgbouncers").then().statusCode(200).body("state",
                Matchers.hasItems("up", "down"));
    }

    @Test
    void changesAnswerAsTheDocumentSays() {
        OpenApiContract contract = contract();
        List<String> problems = new ArrayList<>();
        problems.addAll(check(contract, "POST", "/api/v1/pools/{name}/reset-metrics",
                given().contentType(ContentType.JSON).when().post("/api/v1/pools/analytics/reset-metrics")));
        problems.addAll(check(contract, "POST", "/api/v1/database/pool/reset-metrics",
                given().contentType(ContentType.JSON).when().post("/api/v1/database/pool/reset-metrics")));
        problems.addAll(check(contract, "POST", "/api/v1/checks/{name}/run",
                given().contentType(ContentType.JSON).when().post("/api/v1/checks/" + OpenApiProfile.PASSING_CHECK + "/run")));
        Response created = given().contentType(ContentType.JSON)
                .body("{\"matchers\": [{\"name\": \"check\", \"value\": \"contract-.*\", \"isRegex\": true}], \"duration\": \"1h\", "
                        + "\"createdBy\": \"contract\", \"comment\": \"checked against the document\"}")
                .when().post("/api/v1/silences");
        assertEquals(201, created.statusCode(), created.asString());
        problems.addAll(check(contract, "POST", "/api/v1/silences", created));
        problems.addAll(check(contract, "DELETE", "/api/v1/silences/{id}",
                given().contentType(ContentType.JSON).when().delete("/api/v1/silences/" + created.path("id"))));
        problems.addAll(check(contract, "POST", "/api/v1/simulator/faults/{kind}",
                given().contentType(ContentType.JSON).when()
                        .post("/api/v1/simulator/faults/slow?workload=analytics&duration=1s")));
        assertEquals(List.of(), problems);
    }

    @Test
    void errorsAnswerWithTheDocumentedErrorBody() {
        OpenApiContract contract = contract();
        List<String> problems = new ArrayList<>();
        record Case(String method, String template, Response answer, int status) {
        }
        List<Case> cases = List.of(
                new Case("GET", "/api/v1/pools/{name}", given().when().get("/api/v1/pools/no-such-pool"), 404),
                new Case("GET", "/api/v1/pools/{name}/leaks", given().when().get("/api/v1/pools/no-such-pool/leaks"), 404),
                new Case("GET", "/api/v1/checks/{name}", given().when().get("/api/v1/checks/no-such-check"), 404),
                new Case("GET", "/api/v1/applications/{name}", given().when().get("/api/v1/applications/no-such-app"), 404),
                new Case("GET", "/api/v1/pgbouncers/{name}", given().when().get("/api/v1/pgbouncers/no-such-bouncer"), 404),
                new Case("GET", "/api/v1/replicas/{workload}", given().when().get("/api/v1/replicas/no-such-workload"), 404),
                new Case("GET", "/api/v1/database/pool/status",
                        given().when().get("/api/v1/database/pool/status?pool=no-such-pool"), 404),
                new Case("GET", "/api/v1/trends", given().when().get("/api/v1/trends?figure=utilization&pool=no-such-pool"),
                        404),
                new Case("GET", "/api/v1/alerts", given().when().get("/api/v1/alerts?state=bogus"), 400),
                new Case("GET", "/api/v1/trends", given().when().get("/api/v1/trends?hours=99"), 400),
                new Case("GET", "/api/v1/silences", given().when().get("/api/v1/silences?limit=0"), 400),
                new Case("GET", "/api/v1/checks", given().when().get("/api/v1/checks?offset=-1"), 400),
                new Case("GET", "/api/v1/audit", given().when().get("/api/v1/audit?limit=lots"), 400),
                new Case("POST", "/api/v1/silences",
                        given().contentType(ContentType.JSON).body("{\"matchers\": []}").when().post("/api/v1/silences"), 400),
                new Case("POST", "/api/v1/silences",
                        given().contentType(ContentType.JSON).body("{\"nonsense\": 1}").when().post("/api/v1/silences"), 400),
                new Case("POST", "/api/v1/silences",
                        given().contentType(ContentType.TEXT).body("{}").when().post("/api/v1/silences"), 415),
                new Case("POST", "/api/v1/pools/{name}/reset-metrics",
                        given().contentType(ContentType.TEXT).when().post("/api/v1/pools/main/reset-metrics"), 415),
                new Case("DELETE", "/api/v1/silences/{id}",
                        given().contentType(ContentType.JSON).when().delete("/api/v1/silences/no-such-silence"), 404),
                new Case("POST", "/api/v1/simulator/faults/{kind}",
                        given().contentType(ContentType.JSON).when().post("/api/v1/simulator/faults/earthquake"), 400),
                // A path the gate cannot read one way: refused before routing, with the same body, for any operation.
                new Case("GET", "/api/v1/pools/{name}", given().urlEncodingEnabled(false).when().get("/api/v1/pools/a%2Fb"),
                        400));
        for (Case c : cases) {
            assertEquals(c.status(), c.answer().statusCode(), c.method() + " " + c.template() + ": " + c.answer().asString());
            problems.addAll(check(contract, c.method(), c.template(), c.answer()));
        }
        // Nothing is served at a path the access table does not name: the gate's 404 has the same body.
        Response unnamed = given().when().get("/api/v1/nothing-here");
        assertEquals(404, unnamed.statusCode());
        problems.addAll(contract.problemsAgainst("ApiError", unnamed.asString()));
        assertEquals(List.of(), problems);
    }

    @Test
    void aBodyThatDiffersFromItsSchemaFails() throws Exception {
        pools.sampleNow();
        OpenApiContract contract = contract();
        String body = given().when().get("/api/v1/pools/main").then().statusCode(200).extract().asString();
        assertEquals(List.of(), contract.problems("GET", "/api/v1/pools/{name}", 200, "application/json", body),
                "the real body passes");
        // What is changed, and the property the validator must then name.
        record Wrong(String what, String property, Consumer<ObjectNode> change) {
        }
        List<Wrong> wrongs = List.of(
                new Wrong("a required property left out", "maxSize", pool -> pool.remove("maxSize")),
                new Wrong("a number given as text", "open", pool -> pool.put("open", "many")),
                new Wrong("a boolean given as null", "critical", pool -> pool.putNull("critical")),
                new Wrong("a property the document does not name", "surprise", pool -> pool.put("surprise", 1)),
                new Wrong("a nested record's property of the wrong type", "utilization",
                        pool -> ((ObjectNode) pool.path("snapshot")).put("utilization", "high")));
        for (Wrong wrong : wrongs) {
            ObjectNode changed = (ObjectNode) JSON.readTree(body);
            wrong.change().accept((ObjectNode) changed.path("pool"));
            List<String> problems = contract.problems("GET", "/api/v1/pools/{name}", 200, "application/json",
                    changed.toString());
            assertTrue(problems.stream().anyMatch(p -> p.contains(wrong.property())), wrong.what() + ": " + problems);
        }
        // An error body for a success, a success body for an error, and a body where none is documented.
        assertFalse(
                contract.problems("GET", "/api/v1/pools/{name}", 200, "application/json", "{\"error\": \"x\", \"status\": 200}")
                        .isEmpty());
        assertFalse(contract.problems("GET", "/api/v1/pools/{name}", 404, "application/json", body).isEmpty());
        assertFalse(
                contract.problems("GET", "/api/v1/pools/{name}", 403, "application/json", "{\"error\": \"x\", \"status\": 403}")
                        .isEmpty());
        assertFalse(contract.problems("GET", "/api/v1/pools/{name}", 418, "application/json", body).isEmpty(),
                "an undocumented status");
    }

    /** Blocked sessions over every database, as the API reports them. */
    private static int blockedSessions() {
        List<Integer> counts = given().when().get("/api/v1/blocking").then().statusCode(200).extract().jsonPath()
                .getList("databases.snapshot.blockedSessions");
        return counts.stream().filter(Objects::nonNull).mapToInt(Integer::intValue).sum();
    }

    private static List<String> check(OpenApiContract contract, String method, String template, Response answer) {
        return contract.problems(method, template, answer.statusCode(), answer.contentType(), answer.asString());
    }

    /**
     * Everything the reads report, made to happen: samples with history, a leaked and returned connection, a slow
     * statement, a failing check's firing alert, an observed application's session, a blocked session, PgBouncers read.
     *
     * @return answers read while the sessions behind them were there (samplers also run on their own schedules, and
     *         would report them gone by the time every read is made), by path template
     */
    private Map<String, Response> busy() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        Properties app = new Properties();
        app.setProperty("user", pg.user());
        if (pg.password() != null) {
            app.setProperty("password", pg.password());
        }
        app.setProperty("ApplicationName", OpenApiProfile.APPLICATION);
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        Map<String, Response> answers = new LinkedHashMap<>();
        try (Connection observed = DriverManager.getConnection(pg.jdbcUrl(), app);
                Connection holder = pg.connect();
                Connection blocked = pg.connect()) {
            try (Statement s = holder.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS " + LOCKED + " (id int)");
            }
            // A connection of the jobs pool held past its leak detection interval, then returned.
            DataSource jobs = registry.dataSource("jobs");
            try (Connection leaked = jobs.getConnection()) {
                Await.until("the jobs pool reports the held connection as leaked",
                        () -> !registry.pool("jobs").recorder().leaks().isEmpty());
            }
            try (Connection c = registry.dataSource("main").getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_sleep(0.3)");
            }
            // A session that waits on a lock another holds, while the blocking sampler reads.
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("LOCK TABLE " + LOCKED + " IN ACCESS EXCLUSIVE MODE");
            }
            try (Statement s = blocked.createStatement()) {
                s.execute("SET statement_timeout = '10s'");
            }
            Future<?> waiting = waiter.submit(() -> {
                try (Statement s = blocked.createStatement()) {
                    s.execute("SELECT COUNT(*) FROM " + LOCKED);
                }
                return null;
            });
            try {
                Await.until("a session waits on the lock", () -> {
                    blocking.sampleNow();
                    return blockedSessions() > 0;
                });
                answers.put("/api/v1/blocking",
                        given().when().get("/api/v1/blocking").then().statusCode(200).extract().response());
            } finally {
                holder.rollback();
                waiting.get(15, TimeUnit.SECONDS);
            }
            given().contentType(ContentType.JSON).when().post("/api/v1/checks/" + OpenApiProfile.FAILING_CHECK + "/run").then()
                    .statusCode(200);
            alerting.evaluateNow();
            pools.sampleNow();
            pools.sampleNow();
            servers.sampleNow();
            applications.sampleNow();
            answers.put("/api/v1/applications/{name}",
                    given().when().get("/api/v1/applications/" + OpenApiProfile.APPLICATION).then()
                            .statusCode(200).body("snapshots[0].sessions", Matchers.greaterThan(0)).extract()
                            .response());
            answers.put("/api/v1/applications",
                    given().when().get("/api/v1/applications").then().statusCode(200).extract().response());
            pgbouncers.sampleNow();
        } finally {
            waiter.shutdownNow();
        }
        return answers;
    }
}
