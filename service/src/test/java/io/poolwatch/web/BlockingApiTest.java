package io.poolwatch.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.observed.BlockedSession;
import io.poolwatch.observed.BlockingSampler;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.testing.Await;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.TestDatabases;
import io.quarkus.qute.Engine;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A real row lock, held by one session and waited on by another, as {@code GET /api/v1/blocking}, the {@code /blocking}
 * page and {@code /q/metrics} serve it over HTTP; and gone from all three once released.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class BlockingApiTest {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);

    @Inject
    PoolRegistry registry;

    @Inject
    BlockingSampler sampler;

    @Inject
    BlockingViews views;

    @Inject
    Engine engine;

    private static Connection session(String applicationName) throws SQLException {
        Connection c = TestDatabases.postgres().connect();
        try (Statement st = c.createStatement()) {
            st.execute("SET application_name = '" + applicationName + "'");
            st.execute("SET lock_timeout = '20s'");
        }
        c.setAutoCommit(false);
        return c;
    }

    private static long pid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean listed(long pid) {
        return sampler.all().stream().flatMap(s -> s.roots().stream()).anyMatch(r -> contains(r, pid));
    }

    private static boolean contains(BlockedSession s, long pid) {
        return s.pid() == pid || s.blocked().stream().anyMatch(b -> contains(b, pid));
    }

    @Test
    void aHeldRowLockShowsInTheJsonThePageAndTheMetricsThenGoes() throws Exception {
        String table = "blocking_api_" + SUFFIX;
        // An application name with markup: the page must show it as text.
        String holderName = "pw<i>holder-" + SUFFIX;
        String waiterName = "pw-waiter-" + SUFFIX;
        String database = registry.monitorTargets().get(0).database();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (Connection setup = TestDatabases.postgres().connect(); Statement st = setup.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, v int NOT NULL)");
            st.execute("INSERT INTO " + table + " VALUES (1, 0)");
        }
        Connection holder = null;
        Connection waiter = null;
        try {
            holder = session(holderName);
            waiter = session(waiterName);
            long holderPid = pid(holder);
            long waiterPid = pid(waiter);
            try (Statement st = holder.createStatement()) {
                st.executeUpdate("UPDATE " + table + " SET v = 31337 WHERE id = 1");
            }
            Connection w = waiter;
            Future<?> waiting = background.submit(() -> {
                try (Statement st = w.createStatement()) {
                    st.executeUpdate("UPDATE " + table + " SET v = 8675309 WHERE id = 1");
                }
                return null;
            });
            Await.until("the sampler lists the waiter", () -> {
                sampler.sampleNow();
                return listed(waiterPid);
            });

            JsonPath body = given().when().get("/api/v1/blocking").then().statusCode(200).extract().jsonPath();
            assertTrue(body.getBoolean("enabled"));
            assertEquals(database, body.getString("databases[0].database"));
            assertEquals("postgresql", body.getString("databases[0].kind"));
            assertTrue(body.getBoolean("databases[0].snapshot.available"), body.prettify());
            assertTrue(body.getInt("databases[0].snapshot.blockedSessions") >= 1, body.prettify());
            List<Map<String, Object>> roots = body.getList("databases[0].snapshot.roots");
            Map<String, Object> root = roots.stream().filter(r -> ((Number) r.get("pid")).longValue() == holderPid).findFirst()
                    .orElseThrow(() -> new AssertionError("holder not a root: " + body.prettify()));
            assertEquals(holderName, root.get("application"));
            assertTrue(root.get("holding") instanceof Number, "a duration, as /api/v1/server writes them: " + root);
            @SuppressWarnings("unchecked")
            Map<String, Object> below = ((List<Map<String, Object>>) root.get("blocked")).get(0);
            assertEquals(waiterPid, ((Number) below.get("pid")).longValue());
            assertEquals(waiterName, below.get("application"));
            assertTrue(((Number) below.get("waiting")).doubleValue() >= 0, below.toString());
            assertEquals("UPDATE " + table + " SET v = ? WHERE id = ?", below.get("query"));
            assertFalse(body.prettify().contains("8675309") || body.prettify().contains("31337"),
                    "a literal leaked: " + body.prettify());
            assertTrue(body.get("databases[0].snapshot.deadlocks") instanceof Number, body.prettify());

            String page = given().when().get("/blocking").then().statusCode(200).extract().asString();
            assertTrue(page.contains("pid " + waiterPid), page);
            assertTrue(page.contains(waiterName), page);
            assertTrue(page.contains("pw&lt;i&gt;holder-" + SUFFIX), "the application name is escaped");
            assertFalse(page.contains("pw<i>holder"), "markup from an application name reached the page");
            assertTrue(page.contains("UPDATE " + table + " SET v = ? WHERE id = ?"), page);
            assertFalse(page.contains("8675309"), page);
            String fragment = given().when().get("/blocking?fragment=trees").then().statusCode(200).extract().asString();
            assertTrue(fragment.startsWith("<div id=\"trees\""), fragment);
            assertTrue(fragment.contains("pid " + holderPid), fragment);
            given().when().get("/blocking?fragment=nope").then().statusCode(404);

            // The overview's card, rendered as index.html will include it.
            String card = engine.parse("{#blockingCard cards=cards /}").data("cards", views.cards()).render();
            assertTrue(card.contains("data-database=\"" + database + "\""), card);
            // Other tests' sessions on the same server may come and go between samples: the count is at least this test's one.
            Matcher count = Pattern
                    .compile("<strong class=\"big\">(\\d+)</strong> sessions? blocked").matcher(card);
            assertTrue(count.find() && Integer.parseInt(count.group(1)) >= 1, card);
            assertTrue(Pattern.compile("Deadlocks: \\d+").matcher(card).find(), card);
            assertTrue(card.contains("blocking#db-0"), card);

            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            String labels = "{database=\"" + database + "\"}";
            assertTrue(value(metrics, "poolwatch_blocking_sessions_blocked" + labels) >= 1, metrics);
            assertTrue(value(metrics, "poolwatch_blocking_longest_wait_seconds" + labels) >= 0, metrics);
            assertTrue(value(metrics, "poolwatch_deadlocks_total" + labels) >= 0, metrics);

            holder.rollback();
            waiting.get(20, TimeUnit.SECONDS);
            waiter.rollback();
            Await.until("the sampler no longer lists them", () -> {
                sampler.sampleNow();
                return !listed(waiterPid) && !listed(holderPid);
            });
            String after = given().when().get("/api/v1/blocking").then().statusCode(200).extract().asString();
            assertFalse(after.contains(waiterName), after);
        } finally {
            background.shutdownNow();
            for (Connection c : new Connection[] { waiter, holder }) {
                if (c != null) {
                    try {
                        c.rollback();
                    } finally {
                        c.close();
                    }
                }
            }
            try (Connection setup = TestDatabases.postgres().connect(); Statement st = setup.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    private static double value(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " missing"));
    }
}
