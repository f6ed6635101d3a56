package io.poolwatch.pool;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import io.poolwatch.testing.Await;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.TestDatabases;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The workload pools against a real PostgreSQL, read back from the server itself. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class PoolRegistryPostgresTest {

    @Inject
    PoolRegistry registry;

    @Inject
    @Workload("financial")
    DataSource financial;

    private static String scalar(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void everyWorkloadOpensItsMinimumWithItsOwnApplicationName() throws Exception {
        TestDatabases.Server pg = TestDatabases.postgres();
        assertEquals(2, TestDatabases.awaitSessions(pg, "poolwatch-main", 2));
        assertEquals(2, TestDatabases.awaitSessions(pg, "poolwatch-financial", 2));
        assertEquals(1, TestDatabases.awaitSessions(pg, "poolwatch-analytics", 1));
        for (String workload : List.of("main", "jobs", "analytics", "financial")) {
            assertEquals("poolwatch-" + workload, scalar(registry.dataSource(workload), "SHOW application_name"));
        }
    }

    @Test
    void aPoolNeverOpensMoreThanItsMaxSize() throws Exception {
        DataSource jobs = registry.dataSource("jobs");
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(jobs.getConnection());
            }
            assertEquals(3, registry.pool("jobs").recorder().leased());
            SQLException timeout = assertThrows(SQLException.class, jobs::getConnection);
            assertTrue(
                    timeout.getMessage().toLowerCase().contains("timeout")
                            || timeout.getMessage().toLowerCase().contains("acquisition"),
                    timeout.getMessage());
            try (Connection c = TestDatabases.postgres().connect()) {
                assertEquals(3, TestDatabases.sessions(c, "poolwatch-jobs"));
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        assertEquals(0, registry.pool("jobs").recorder().leased());
    }

    @Test
    void financialRunsSerializableAsTheServerSeesIt() throws Exception {
        assertEquals("serializable", scalar(financial, "SHOW transaction_isolation"));
        assertEquals("read committed", scalar(registry.dataSource("main"), "SHOW transaction_isolation"));
        assertEquals("poolwatch-financial", scalar(financial, "SHOW application_name"));
    }

    @Test
    void theServerCancelsAnalyticsStatementsOverTheTimeout() throws Exception {
        assertEquals("1s", scalar(registry.dataSource("analytics"), "SHOW statement_timeout"));
        try (Connection c = registry.dataSource("analytics").getConnection(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute("SELECT pg_sleep(5)"));
            assertEquals("57014", e.getSQLState(), e.getMessage());
        }
        // The connection survives the cancellation and the pool keeps serving.
        assertEquals("1", scalar(registry.dataSource("analytics"), "SELECT 1"));
    }

    @Test
    void analyticsCannotWrite() throws Exception {
        try (Connection c = registry.dataSource("analytics").getConnection(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute("CREATE TABLE analytics_write_probe (id int)"));
            assertEquals("25006", e.getSQLState(), e.getMessage());
        }
    }

    @Test
    void unknownWorkloadsAreAClearError() {
        UnknownWorkloadException e = assertThrows(UnknownWorkloadException.class, () -> registry.dataSource("reporting"));
        assertTrue(e.getMessage().contains("'reporting'"), e.getMessage());
        assertTrue(e.getMessage().contains("main, jobs, analytics, financial"), e.getMessage());
        RuntimeException viaCdi = assertThrows(RuntimeException.class,
                () -> CDI.current().select(DataSource.class, Workload.Literal.of("reporting")).get().getConnection());
        assertTrue(rootMessage(viaCdi).contains("'reporting'"), rootMessage(viaCdi));
    }

    @Test
    void programmaticLookupByQualifier() throws Exception {
        DataSource jobs = CDI.current().select(DataSource.class, Workload.Literal.of("jobs")).get();
        assertEquals("poolwatch-jobs", scalar(jobs, "SHOW application_name"));
    }

    @Test
    void theApiAndTheMetricsShowTlsAsTheServerReportsIt() throws Exception {
        boolean encrypted;
        try (Connection c = registry.dataSource("main").getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            encrypted = rs.getBoolean(1);
        }
        Await.until("main's TLS was measured", () -> registry.pool("main").tls().encrypted().isPresent());
        // No tls.* key and no sslmode in the URL: pgjdbc's default, prefer; loopback, so no warning either way.
        given().when().get("/api/v1/pools").then().statusCode(200)
                .body("find { it.name == 'main' }.tls.mode", equalTo("prefer"))
                .body("find { it.name == 'main' }.tls.modeSource", equalTo("built-in"))
                .body("find { it.name == 'main' }.tls.encrypted", equalTo(encrypted))
                .body("find { it.name == 'main' }.tls.verified", equalTo(false))
                .body("find { it.name == 'main' }.tls.warning", Matchers.nullValue())
                .body("find { it.name == 'main' }.sources.'tls.mode'", equalTo("built-in"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(Matchers.matchesPattern("(?s).*\\npoolwatch_pool_tls_encrypted\\{[^}]*pool=\"main\"[^}]*\\} "
                        + (encrypted ? "1.0" : "0.0") + "\\n.*"));
    }

    @Test
    void theApiShowsEveryPoolWithItsUrlMaskedAndNoPassword() {
        given().when().get("/api/v1/pools").then().statusCode(200)
                .body("name", contains("main", "jobs", "analytics", "financial"))
                .body("find { it.name == 'financial' }.isolation", equalTo("serializable"))
                .body("find { it.name == 'jobs' }.maxSize", equalTo(3))
                .body("find { it.name == 'jobs' }.sources.'max-size'", equalTo("poolwatch.pools.\"jobs\".max-size"))
                .body("find { it.name == 'main' }.sources.url", equalTo("DATABASE_URL"))
                .body(not(containsString(TestDatabases.postgres().password())));
        given().when().get("/api/v1/pools/reporting").then().statusCode(404);
        given().when().get("/").then().statusCode(200)
                .body(containsString("financial"))
                .body(not(containsString(TestDatabases.postgres().password())));
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }
}
