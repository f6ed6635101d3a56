package io.poolwatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import io.poolwatch.testing.Await;
import io.poolwatch.testing.PoolwatchProcess;
import io.poolwatch.testing.SecurityProfile;
import io.poolwatch.testing.TestDatabases;
import io.restassured.http.ContentType;

/** The packaged jar as an operator runs it: the embedded default, SIGTERM against a real server, refused configuration. */
class PackagedApplicationIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(40);
    private static final List<String> WORKLOADS = List.of("main", "jobs", "analytics", "financial");

    @Test
    void theEmbeddedDefaultStartsServesAndCleansUp() throws Exception {
        try (PoolwatchProcess app = PoolwatchProcess.start(Map.of(), Map.of())) {
            double startedIn = app.startedWithin(START);
            long rss = app.rssKib();
            // Figures for docs/PERFORMANCE.md.
            System.out.printf("embedded default: started in %.3fs, RSS %d MiB%n", startedIn, rss / 1024);
            assertTrue(app.output().contains("embedded demo postgresql database"), app.output());

            String url = given().baseUri(app.baseUri()).when().get("/api/v1/pools").then().statusCode(200)
                    .body("name", contains(WORKLOADS.toArray()))
                    .body("database", everyItem(equalTo("postgresql")))
                    .body("sources.url", everyItem(equalTo("embedded")))
                    .extract().path("[0].url");
            Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+)/").matcher(url);
            assertTrue(port.find(), url);
            // The embedded server asks every connection for a password: its superuser's is random and never shown.
            SQLException refused = Assertions.assertThrows(SQLException.class,
                    () -> DriverManager
                            .getConnection("jdbc:postgresql://127.0.0.1:" + port.group(1) + "/poolwatch?user=postgres")
                            .close());
            assertTrue(String.valueOf(refused.getMessage()).contains("password"), String.valueOf(refused.getMessage()));
            // Its data directory is the server's working directory.
            Path dataDirectory = PoolwatchProcess.postgresDataDirectory(Integer.parseInt(port.group(1)))
                    .orElseThrow(() -> new AssertionError("no embedded postgres process"));
            assertTrue(Files.exists(dataDirectory.resolve("PG_VERSION")), "not a data directory: " + dataDirectory);
            given().baseUri(app.baseUri()).when().get("/").then().statusCode(200);

            // The demo's simulator runs from the start and can be stopped from the API.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int committed = 0;
            while (committed == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                committed = given().baseUri(app.baseUri()).when().get("/api/v1/simulator").then().statusCode(200)
                        .body("running", Matchers.equalTo(true))
                        .extract().path("workloads.find { it.workload == 'financial' }.committed");
            }
            assertTrue(committed > 0, "the simulator committed no transfer");
            // The demo's consistency checks pass on their own schedule, while the simulator moves money.
            List<String> demoChecks = List.of("ledger-balanced", "account-balances", "no-negative-customer-balance",
                    "events-have-accounts",
                    "unique-transaction-references", "event-amounts-in-range", "constraints-validated");
            long checksDeadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            List<String> passed = List.of();
            while (passed.size() < demoChecks.size() && System.nanoTime() < checksDeadline) {
                Thread.sleep(500);
                passed = given().baseUri(app.baseUri()).when().get("/api/v1/checks").then().statusCode(200)
                        .extract().jsonPath().getList("findAll { it.last?.status == 'pass' }.name", String.class);
            }
            assertEquals(demoChecks, passed, "demo checks passing");
            // An unbalanced entry makes the ledger check fail, with the transaction as its sample, until the fault removes it.
            given().baseUri(app.baseUri()).contentType(ContentType.JSON).when()
                    .post("/api/v1/simulator/faults/inconsistency?duration=3s").then().statusCode(202);
            Thread.sleep(500);
            given().baseUri(app.baseUri()).contentType(ContentType.JSON).when().post("/api/v1/checks/ledger-balanced/run")
                    .then().statusCode(200)
                    .body("status", equalTo("fail")).body("violations", equalTo(1))
                    .body("samples[0].credits_minus_debits", equalTo(-13.37f));
            Thread.sleep(4000);
            given().baseUri(app.baseUri()).contentType(ContentType.JSON).when().post("/api/v1/checks/ledger-balanced/run")
                    .then().statusCode(200)
                    .body("status", equalTo("pass")).body("violations", equalTo(0));

            given().baseUri(app.baseUri()).contentType(ContentType.JSON).when().post("/api/v1/simulator/stop").then()
                    .statusCode(200)
                    .body("running", Matchers.equalTo(false));
            given().baseUri(app.baseUri()).contentType(ContentType.JSON).when().post("/api/v1/simulator/start").then()
                    .statusCode(200)
                    .body("running", Matchers.equalTo(true));

            assertStoppedBySigterm(app.terminate(STOP), app);
            assertTrue(app.output().contains("closed 4 pool(s)"), app.output());
            assertFalse(Files.exists(dataDirectory), "embedded data directory left behind: " + dataDirectory);
        }
    }

    @Test
    void sigtermClosesEveryConnectionOnTheServer() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        String tag = "it" + ProcessHandle.current().pid();
        Map<String, String> props = new HashMap<>();
        for (String w : WORKLOADS) {
            props.put("poolwatch.pools." + w + ".application-name", tag + "-" + w);
        }
        try (PoolwatchProcess app = PoolwatchProcess.start(Map.of("DATABASE_URL", pg.seedUrl(), "DB_POOL_SIZE", "2"), props)) {
            app.startedWithin(START);
            for (String w : WORKLOADS) {
                assertEquals(2, TestDatabases.awaitSessions(pg, tag + "-" + w, 2), w);
            }
            assertFalse(app.output().contains(pg.password()), "the password must never be logged");
            assertStoppedBySigterm(app.terminate(STOP), app);
            String log = app.output();
            int readinessDown = log.indexOf("shutting down: readiness is DOWN");
            int poolsClosed = log.indexOf("closed 4 pool(s)");
            assertTrue(readinessDown >= 0 && poolsClosed > readinessDown,
                    "readiness must go DOWN before the pools close:\n" + log);
            for (String w : WORKLOADS) {
                assertEquals(0, TestDatabases.awaitSessions(pg, tag + "-" + w, 0), w + " left connections open");
            }
        }
    }

    @Test
    void invalidConfigurationStopsStartUpNamingEveryProblem() throws Exception {
        try (PoolwatchProcess app = PoolwatchProcess.start(
                Map.of("DATABASE_URL", "postgresql://app:hunter2@127.0.0.1:5432/app", "DB_POOL_TIMEOUT", "soon",
                        "DB_REPLICA_2_WEIGHT", "3"),
                Map.of("poolwatch.pools.financial.transaction-isolation", "snapshot", "poolwatch.pools.main.max-size", "0"))) {
            int exit = app.awaitExit(START);
            String out = app.output();
            assertNotEquals(0, exit, out);
            assertTrue(out.contains("the configuration has 4 problems"), out);
            assertTrue(out.contains("DB_POOL_TIMEOUT=soon"), out);
            assertTrue(out.contains("DB_REPLICA_2_WEIGHT=3"), out);
            assertTrue(out.contains("poolwatch.pools.\"financial\".transaction-isolation=snapshot"), out);
            assertTrue(out.contains("poolwatch.pools.\"main\".max-size=0"), out);
            assertFalse(out.contains("hunter2"), "the password must never be logged");
        }
    }

    @Test
    void anInvalidCheckStopsStartUp() throws Exception {
        try (PoolwatchProcess app = PoolwatchProcess.start(Map.of("DATABASE_URL", TestDatabases.postgres().seedUrl()),
                Map.of("poolwatch.consistency.checks.\"ledger\".kind", "ledger-balance",
                        "poolwatch.consistency.checks.\"ledger\".table", "entries e; DELETE FROM accounts",
                        "poolwatch.consistency.checks.\"ledger\".group-column", "transaction_id",
                        "poolwatch.consistency.checks.\"custom\".kind", "sql",
                        "poolwatch.consistency.checks.\"custom\".workload", "reporting"))) {
            int exit = app.awaitExit(START);
            String out = app.output();
            assertNotEquals(0, exit, out);
            assertTrue(out.contains("the configuration has 3 problems"), out);
            assertTrue(out.contains(
                    "poolwatch.consistency.checks.\"ledger\".table: 'entries e; DELETE FROM accounts' is not a table name"),
                    out);
            assertTrue(out.contains("poolwatch.consistency.checks.\"custom\".workload=reporting: no such workload"), out);
            assertTrue(out.contains("poolwatch.consistency.checks.\"custom\".sql: not set"), out);
        }
    }

    @Test
    void aChunkedCheckResumesAfterARestartFromTheWatermarkSavedWithTheOutbox() throws Exception {
        Path outbox = Files.createTempDirectory("poolwatch-outbox");
        // A receiver (nothing listens) makes the outbox exist; the demo's events-have-accounts check is chunked.
        Map<String, String> properties = Map.of("poolwatch.alerting.receivers.x.url", "http://127.0.0.1:9/hook",
                "poolwatch.alerting.outbox.path", outbox.toString(), "poolwatch.consistency.initial-delay", "1s");
        String first;
        try (PoolwatchProcess app = PoolwatchProcess.start(Map.of(), properties)) {
            app.startedWithin(START);
            Await.until("the chunked check's first run", () -> !scopes(app).isEmpty());
            first = scopes(app).get(0);
            assertTrue(first.startsWith("keys 1.."), first);
            app.terminate(Duration.ofSeconds(30));
        }
        long watermark = Long.parseLong(first.substring("keys 1..".length()));
        try (PoolwatchProcess app = PoolwatchProcess.start(Map.of(), properties)) {
            app.startedWithin(START);
            Await.until("the chunked check's first run after the restart", () -> !scopes(app).isEmpty());
            assertEquals("keys " + (watermark + 1) + ".." + (2 * watermark), scopes(app).get(0),
                    "it goes on where the last run stopped");
            assertTrue(app.output().contains("check events-have-accounts resumes after key " + watermark), app.output());
            app.terminate(Duration.ofSeconds(30));
        }
    }

    private static List<String> scopes(PoolwatchProcess app) {
        return given().baseUri(app.baseUri()).when().get("/api/v1/checks/events-have-accounts").then().statusCode(200).extract()
                .jsonPath()
                .getList("history.scope", String.class);
    }

    @Test
    void withoutUsersOnAnAddressOtherThanLoopbackItRefusesToStart() throws Exception {
        try (PoolwatchProcess app = PoolwatchProcess.start(Map.of("DATABASE_URL", TestDatabases.postgres().seedUrl()),
                Map.of("quarkus.http.host", "0.0.0.0"))) {
            int exit = app.awaitExit(START);
            String out = app.output();
            assertNotEquals(0, exit, out);
            assertTrue(out.contains("quarkus.http.host=0.0.0.0: no users and no OIDC provider are configured"), out);
            assertTrue(out.contains("poolwatch.security.allow-anonymous=true"), out);
        }
    }

    @Test
    void usersFromAMountedFileProtectTheDashboardAndTheApi() throws Exception {
        Path secret = Files.createTempFile("poolwatch-users", ".properties");
        try {
            Files.writeString(secret,
                    "quarkus.security.users.embedded.users.ops="
                            + SecurityProfile.hash("ops", "ops-Pass-1")
                            + "\nquarkus.security.users.embedded.roles.ops=admin\n");
            try (PoolwatchProcess app = PoolwatchProcess.start(
                    Map.of("DATABASE_URL", TestDatabases.postgres().seedUrl(), "QUARKUS_CONFIG_LOCATIONS",
                            secret.toUri().toString()),
                    Map.of())) {
                assertTrue(app.awaitStarted(START).isPresent(), app.output());
                assertTrue(app.output().contains("Access control on: 1 embedded user(s)"), app.output());
                given().baseUri(app.baseUri()).when().get("/").then().statusCode(401);
                given().baseUri(app.baseUri()).when().get("/q/health/live").then().statusCode(200);
                given().baseUri(app.baseUri()).auth().preemptive().basic("ops", "ops-Pass-1").when().get("/api/v1/pools").then()
                        .statusCode(200);
                assertFalse(app.output().contains("ops-Pass-1"));
            }
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void aMisspeltKeyStopsStartUp() throws Exception {
        try (PoolwatchProcess app = PoolwatchProcess.start(Map.of("DATABASE_URL", "postgresql://127.0.0.1:5432/app"),
                Map.of("poolwatch.pools.main.max-sise", "3"))) {
            int exit = app.awaitExit(START);
            assertNotEquals(0, exit, app.output());
            assertTrue(app.output().contains("poolwatch.pools.main.max-sise"), app.output());
        }
    }

    /** The JVM ends with 143 (128 + SIGTERM) once its shutdown hooks ran; 0 is as good. */
    private static void assertStoppedBySigterm(int exit, PoolwatchProcess app) {
        assertTrue(exit == 0 || exit == 143, "exit code " + exit + "\n" + app.outputTail());
    }
}
