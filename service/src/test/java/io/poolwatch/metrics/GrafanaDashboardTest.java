package io.poolwatch.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.alerting.AlertRule;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.TestDatabases;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The Grafana dashboard in {@code kubernetes/grafana} against a real scrape: every metric its queries use exists in
 * poolwatch's {@code /q/metrics} (with the label values they select), and every threshold line it draws is the
 * default of the built-in rule it names. A renamed metric or a changed default fails here, not on someone's screen.
 */
@QuarkusTest
@TestProfile(GrafanaDashboardTest.WithAReplica.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of("../kubernetes/grafana/poolwatch-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b(poolwatch_[a-z0-9_]+)(\\{[^}]*\\})?");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"$]*)\"");

    /** A read replica (the same database) and a check, so the replica and check metrics are in the scrape. */
    public static class WithAReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("DB_READ_REPLICAS", TestDatabases.postgres().seedUrl(),
                    "poolwatch.consistency.checks.grafana.kind", "sql",
                    "poolwatch.consistency.checks.grafana.sql", "SELECT 0",
                    "poolwatch.consistency.checks.grafana.schedule", "1h",
                    "poolwatch.consistency.initial-delay", "0s");
        }
    }

    static List<String> expressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                out.add(t.path("expr").asText());
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                out.add(v.path("query").asText());
            }
        }
        return out;
    }

    @Test
    void everyMetricTheDashboardQueriesIsInARealScrape() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        String scrape = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> exprs = expressions(dashboard);
        assertTrue(exprs.size() >= 20, "the dashboard's queries were read: " + exprs.size());
        Set<String> used = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (String expr : exprs) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                String name = m.group(1);
                used.add(name);
                if (!Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(scrape).find()) {
                    missing.add(name + " (in " + expr + ")");
                    continue;
                }
                if (m.group(2) != null) {
                    Matcher l = LABEL.matcher(m.group(2));
                    while (l.find()) {
                        String sample = "(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(l.group(1) + "=\"" + l.group(2) + "\"");
                        if (!Pattern.compile(sample).matcher(scrape).find()) {
                            missing.add(name + " with " + l.group(1) + "=\"" + l.group(2) + "\" (in " + expr + ")");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), missing);
        for (String needed : List.of("poolwatch_pool_utilization_ratio", "poolwatch_pool_checkout_seconds", "poolwatch_pool_leaks_current",
                "poolwatch_pool_statements_slow_total", "poolwatch_server_sessions_total", "poolwatch_server_max_connections",
                "poolwatch_check_violations", "poolwatch_alerts", "poolwatch_replica_lag_seconds")) {
            assertTrue(used.contains(needed), "the dashboard shows " + needed + ": " + used);
        }
    }

    @Test
    void everyThresholdLineIsTheBuiltInRulesDefault() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Map<String, AlertRule> byTitle = Map.of("against the pool-utilization threshold", AlertRule.POOL_UTILIZATION,
                "against the checkout-time threshold", AlertRule.CHECKOUT_TIME, "against the error-rate threshold", AlertRule.ERROR_RATE,
                "against the server-connections threshold", AlertRule.SERVER_CONNECTIONS,
                "against the idle-in-transaction threshold", AlertRule.IDLE_IN_TRANSACTION, "against the replica-lag threshold",
                AlertRule.REPLICA_LAG);
        int checked = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            for (Map.Entry<String, AlertRule> e : byTitle.entrySet()) {
                if (title.endsWith(e.getKey())) {
                    JsonNode steps = panel.path("fieldConfig").path("defaults").path("thresholds").path("steps");
                    assertEquals(e.getValue().defaultThreshold(), steps.get(1).path("value").asDouble(), 1e-9, title);
                    checked++;
                }
            }
        }
        assertEquals(byTitle.size(), checked, "every rule's panel was found");
    }
}
